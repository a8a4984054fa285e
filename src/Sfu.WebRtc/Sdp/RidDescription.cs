namespace Sfu.WebRtc.Sdp;

public enum RidDirection
{
    Send,
    Recv,
}

/// <summary>
/// <c>a=rid:&lt;rid-id&gt; &lt;send|recv&gt; [pt=&lt;fmt&gt;,...;][&lt;restriction&gt;=&lt;value&gt;;...]</c> (RFC 8851 §10):
/// one RTP stream of an m-section, named by the rid that RTP packets carry in the rtp-stream-id header extension.
/// </summary>
public sealed class RidDescription
{
    public RidDescription(string id, RidDirection direction)
    {
        Id = id;
        Direction = direction;
    }

    public string Id { get; set; }

    public RidDirection Direction { get; set; }

    /// <summary>The <c>pt=</c> list; empty means every payload type of the m-section.</summary>
    public List<int> PayloadTypes { get; } = new();

    /// <summary>Restrictions in order (max-width, max-height, max-fps, max-br, depend, ...); a value is null for a bare flag.</summary>
    public List<KeyValuePair<string, string?>> Restrictions { get; } = new();

    public string? GetRestriction(string name) =>
        Restrictions.FirstOrDefault(r => string.Equals(r.Key, name, StringComparison.Ordinal)).Value;

    public override string ToString()
    {
        var parameters = new List<string>();
        if (PayloadTypes.Count > 0) parameters.Add("pt=" + string.Join(',', PayloadTypes.Select(SdpToken.Str)));
        parameters.AddRange(Restrictions.Select(r => r.Value is null ? r.Key : $"{r.Key}={r.Value}"));
        var head = $"rid:{Id} {(Direction == RidDirection.Send ? "send" : "recv")}";
        return parameters.Count == 0 ? head : $"{head} {string.Join(';', parameters)}";
    }

    /// <summary>RFC 8851 §10: rid-id = 1*(alpha-numeric / "-" / "_"); RFC 8852 §3.1 bounds the header value to 16 bytes in practice (255 in theory).</summary>
    public static bool IsValidId(string id)
    {
        if (id.Length is 0 or > 255) return false;
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        return true;
    }

    public static bool TryParse(string value, out RidDescription? rid, out string? error)
    {
        rid = null;
        var parts = value.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            error = "a=rid needs '<rid> send|recv [<params>]'";
            return false;
        }
        if (!IsValidId(parts[0]))
        {
            error = $"a=rid id '{parts[0]}' must be letters, digits, '-' or '_'";
            return false;
        }
        RidDirection direction;
        if (parts[1] == "send") direction = RidDirection.Send;
        else if (parts[1] == "recv") direction = RidDirection.Recv;
        else
        {
            error = $"a=rid direction '{parts[1]}' is not send or recv";
            return false;
        }
        var result = new RidDescription(parts[0], direction);
        if (parts.Length == 3)
        {
            foreach (var param in parts[2].Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = param.IndexOf('=');
                var key = eq < 0 ? param : param[..eq];
                if (!SdpToken.IsToken(key))
                {
                    error = $"a=rid parameter '{param}' is not '<name>[=<value>]'";
                    return false;
                }
                if (key == "pt")
                {
                    if (eq < 0)
                    {
                        error = "a=rid pt= needs a payload type list";
                        return false;
                    }
                    foreach (var pt in param[(eq + 1)..].Split(','))
                    {
                        if (!SdpToken.TryInt(pt, 0, SdpLimits.MaxPayloadType, out var p))
                        {
                            error = $"a=rid payload type '{pt}' is not 0..{SdpLimits.MaxPayloadType}";
                            return false;
                        }
                        result.PayloadTypes.Add(p);
                    }
                }
                else
                {
                    result.Restrictions.Add(new(key, eq < 0 ? null : param[(eq + 1)..]));
                }
            }
        }
        rid = result;
        error = null;
        return true;
    }
}
