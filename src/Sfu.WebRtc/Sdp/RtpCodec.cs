namespace Sfu.WebRtc.Sdp;

/// <summary>
/// One payload type of an RTP m-section, assembled from
/// <c>a=rtpmap:&lt;pt&gt; &lt;name&gt;/&lt;clock&gt;[/&lt;channels&gt;]</c> (RFC 8866 §6.6),
/// <c>a=fmtp:&lt;pt&gt; &lt;params&gt;</c> (§6.15) and <c>a=rtcp-fb:&lt;pt&gt; &lt;type&gt; [&lt;param&gt;]</c> (RFC 4585 §4.2).
/// </summary>
public sealed class RtpCodec
{
    private string? _fmtpRaw;
    private IReadOnlyDictionary<string, string>? _fmtp;

    public RtpCodec(int payloadType, string name, int clockRate, int? channels = null)
    {
        PayloadType = payloadType;
        Name = name;
        ClockRate = clockRate;
        Channels = channels;
    }

    public int PayloadType { get; set; }

    /// <summary>Encoding name as written (e.g. "VP8", "opus", "H264", "rtx"); compare with <see cref="Is"/>, case-insensitively (RFC 8866 §6.6).</summary>
    public string Name { get; set; }

    public int ClockRate { get; set; }

    /// <summary>Audio channel count; null when the rtpmap had no third field.</summary>
    public int? Channels { get; set; }

    /// <summary>
    /// The fmtp value exactly as written (the single source of truth; <see cref="Fmtp"/> is derived from it so the
    /// two can never disagree). Null when the codec has no a=fmtp line.
    /// </summary>
    public string? FmtpRaw
    {
        get => _fmtpRaw;
        set
        {
            _fmtpRaw = string.IsNullOrEmpty(value) ? null : value;
            _fmtp = null;
        }
    }

    /// <summary>
    /// fmtp split on ';' into key=value (keys case-insensitive, as RFC 6184 §8.1 / RFC 7587 define them).
    /// A parameter without '=' (e.g. telephone-event "0-15", RED "111/111") appears as a key with an empty value.
    /// </summary>
    public IReadOnlyDictionary<string, string> Fmtp => _fmtp ??= ParseFmtp(_fmtpRaw);

    /// <summary>RTCP feedback types in order, e.g. "nack", "nack pli", "ccm fir", "goog-remb", "transport-cc".</summary>
    public List<string> RtcpFeedback { get; } = new();

    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The payload type an RTX codec repairs (<c>apt</c>, RFC 4588 §8.6), or null.</summary>
    public int? Apt => Fmtp.TryGetValue("apt", out var v) && SdpToken.TryInt(v, 0, SdpLimits.MaxPayloadType, out var pt) ? pt : null;

    public string? GetFmtp(string key) => Fmtp.TryGetValue(key, out var v) ? v : null;

    /// <summary>Replaces the fmtp with the given parameters, written in order as <c>k=v;k=v</c>.</summary>
    public void SetFmtp(IEnumerable<KeyValuePair<string, string>> parameters) =>
        FmtpRaw = string.Join(';', parameters.Select(p => p.Value.Length == 0 ? p.Key : $"{p.Key}={p.Value}"));

    public bool HasFeedback(string feedback) => RtcpFeedback.Contains(feedback, StringComparer.OrdinalIgnoreCase);

    /// <summary>The rtpmap value: <c>&lt;pt&gt; name/clock[/channels]</c>.</summary>
    public string RtpMapValue => Channels is { } ch
        ? $"{SdpToken.Str(PayloadType)} {Name}/{SdpToken.Str(ClockRate)}/{SdpToken.Str(ch)}"
        : $"{SdpToken.Str(PayloadType)} {Name}/{SdpToken.Str(ClockRate)}";

    public override string ToString() => FmtpRaw is null ? RtpMapValue : $"{RtpMapValue} [{FmtpRaw}]";

    internal static bool TryParseRtpMap(string value, out RtpCodec? codec, out string? error)
    {
        codec = null;
        var space = value.IndexOf(' ');
        if (space <= 0)
        {
            error = "a=rtpmap needs '<payload type> <encoding>/<clock rate>[/<channels>]'";
            return false;
        }
        if (!SdpToken.TryInt(value[..space], 0, SdpLimits.MaxPayloadType, out var pt))
        {
            error = $"a=rtpmap payload type '{value[..space]}' is not 0..{SdpLimits.MaxPayloadType}";
            return false;
        }
        var encoding = value[(space + 1)..].Split('/');
        if (encoding.Length is < 2 or > 3 || !SdpToken.IsToken(encoding[0]))
        {
            error = $"a=rtpmap encoding '{value[(space + 1)..]}' is not '<name>/<clock rate>[/<channels>]'";
            return false;
        }
        if (!SdpToken.TryInt(encoding[1], 1, int.MaxValue, out var clock))
        {
            error = $"a=rtpmap clock rate '{encoding[1]}' is not a positive number";
            return false;
        }
        int? channels = null;
        if (encoding.Length == 3)
        {
            if (!SdpToken.TryInt(encoding[2], 1, 255, out var ch))
            {
                error = $"a=rtpmap channel count '{encoding[2]}' is not 1..255";
                return false;
            }
            channels = ch;
        }
        codec = new RtpCodec(pt, encoding[0], clock, channels);
        error = null;
        return true;
    }

    private static IReadOnlyDictionary<string, string> ParseFmtp(string? raw)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (raw is null) return result;
        foreach (var part in raw.Split(';'))
        {
            var item = part.Trim();
            if (item.Length == 0) continue;
            var eq = item.IndexOf('=');
            if (eq < 0) result[item] = "";
            else result[item[..eq].Trim()] = item[(eq + 1)..].Trim();
        }
        return result;
    }
}
