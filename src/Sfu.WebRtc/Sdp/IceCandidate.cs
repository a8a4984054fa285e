using System.Text;

namespace Sfu.WebRtc.Sdp;

/// <summary>
/// An ICE candidate (RFC 8839 §5.1), as it appears in <c>a=candidate</c> lines and in trickled
/// <c>RTCIceCandidate.candidate</c> strings:
/// <code>
/// candidate:&lt;foundation&gt; &lt;component-id&gt; &lt;transport&gt; &lt;priority&gt;
///           &lt;connection-address&gt; &lt;port&gt; typ &lt;cand-type&gt;
///           [raddr &lt;address&gt;] [rport &lt;port&gt;] *(&lt;extension-name&gt; &lt;extension-value&gt;)
/// </code>
/// Extensions (tcptype, generation, ufrag, network-id, network-cost) are kept in order.
/// </summary>
public sealed class IceCandidate
{
    public IceCandidate(string foundation, int component, string transport, uint priority, string address, int port, string type)
    {
        Foundation = foundation;
        Component = component;
        Transport = transport;
        Priority = priority;
        Address = address;
        Port = port;
        Type = type;
    }

    public string Foundation { get; set; }

    /// <summary>1 = RTP, 2 = RTCP; with rtcp-mux only 1 is used.</summary>
    public int Component { get; set; }

    /// <summary>"udp"/"UDP" or "tcp"/"TCP" as written; compare case-insensitively.</summary>
    public string Transport { get; set; }

    public uint Priority { get; set; }

    /// <summary>An IP address or, with mDNS obfuscation, a "&lt;uuid&gt;.local" host name.</summary>
    public string Address { get; set; }

    public int Port { get; set; }

    /// <summary>host, srflx, prflx or relay.</summary>
    public string Type { get; set; }

    public string? RelatedAddress { get; set; }

    public int? RelatedPort { get; set; }

    /// <summary>Extension attributes after the fixed fields, e.g. ("tcptype", "active"), ("generation", "0").</summary>
    public List<KeyValuePair<string, string>> Extensions { get; } = new();

    public bool IsUdp => string.Equals(Transport, "udp", StringComparison.OrdinalIgnoreCase);

    public bool IsTcp => string.Equals(Transport, "tcp", StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 6544 §4.5: active, passive or so; null for UDP.</summary>
    public string? TcpType => GetExtension("tcptype");

    public string? GetExtension(string name) =>
        Extensions.FirstOrDefault(e => string.Equals(e.Key, name, StringComparison.Ordinal)).Value;

    /// <summary>Parses <c>candidate:...</c>, also accepting a leading <c>a=</c>.</summary>
    public static IceCandidate Parse(string candidate) =>
        TryParse(candidate, out var c, out var error) ? c! : throw new SdpParseException(0, error!);

    public static bool TryParse(string candidate, out IceCandidate? result, out string? error)
    {
        result = null;
        var text = candidate.AsSpan().Trim();
        if (text.StartsWith("a=")) text = text[2..];
        if (!text.StartsWith("candidate:"))
        {
            error = "a candidate must start with 'candidate:'";
            return false;
        }
        var fields = SdpToken.SplitSpaces(text["candidate:".Length..].ToString());
        if (fields.Length < 8)
        {
            error = $"a candidate needs at least 8 fields (foundation component transport priority address port typ type), got {fields.Length}";
            return false;
        }
        if (!IsFoundation(fields[0]))
        {
            error = $"candidate foundation '{fields[0]}' must be 1..32 of letters, digits, '+', '/'";
            return false;
        }
        if (!SdpToken.TryInt(fields[1], 1, 256, out var component))
        {
            error = $"candidate component '{fields[1]}' is not 1..256";
            return false;
        }
        if (!SdpToken.IsToken(fields[2]))
        {
            error = $"candidate transport '{fields[2]}' is not a token";
            return false;
        }
        if (!SdpToken.TryUInt(fields[3], out var priority))
        {
            error = $"candidate priority '{fields[3]}' is not a 32-bit number";
            return false;
        }
        if (!SdpToken.IsVisible(fields[4]))
        {
            error = "candidate address is not printable";
            return false;
        }
        if (!SdpToken.TryPort(fields[5], out var port))
        {
            error = $"candidate port '{fields[5]}' is not 0..65535";
            return false;
        }
        if (fields[6] != "typ" || !SdpToken.IsToken(fields[7]))
        {
            error = "candidate needs 'typ <type>' after the port";
            return false;
        }
        var c = new IceCandidate(fields[0], component, fields[2], priority, fields[4], port, fields[7]);
        var i = 8;
        if ((fields.Length - i) % 2 != 0)
        {
            error = "candidate extension attributes must come in name/value pairs";
            return false;
        }
        for (; i < fields.Length; i += 2)
        {
            var name = fields[i];
            var value = fields[i + 1];
            if (name == "raddr" && c.RelatedAddress is null)
            {
                c.RelatedAddress = value;
            }
            else if (name == "rport" && c.RelatedPort is null)
            {
                if (!SdpToken.TryPort(value, out var rport))
                {
                    error = $"candidate rport '{value}' is not 0..65535";
                    return false;
                }
                c.RelatedPort = rport;
            }
            else
            {
                c.Extensions.Add(new(name, value));
            }
        }
        result = c;
        error = null;
        return true;
    }

    /// <summary>The <c>candidate:...</c> form (what follows <c>a=</c> in SDP, and what trickle ICE carries).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("candidate:");
        sb.Append(Foundation).Append(' ').Append(SdpToken.Str(Component)).Append(' ').Append(Transport).Append(' ')
            .Append(SdpToken.Str(Priority)).Append(' ').Append(Address).Append(' ').Append(SdpToken.Str(Port))
            .Append(" typ ").Append(Type);
        if (RelatedAddress is not null) sb.Append(" raddr ").Append(RelatedAddress);
        if (RelatedPort is { } rp) sb.Append(" rport ").Append(SdpToken.Str(rp));
        foreach (var e in Extensions) sb.Append(' ').Append(e.Key).Append(' ').Append(e.Value);
        return sb.ToString();
    }

    // RFC 8839 §5.1: foundation = 1*32ice-char, ice-char = ALPHA / DIGIT / "+" / "/".
    private static bool IsFoundation(string s)
    {
        if (s.Length is 0 or > 32) return false;
        foreach (var c in s)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/')) return false;
        return true;
    }
}
