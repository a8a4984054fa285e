namespace Sfu.WebRtc.Sdp;

/// <summary>
/// <c>o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt;</c> (RFC 8866 §5.2).
/// JSEP (RFC 8829 §5.2.1) uses "-" as username, a random 63-bit id, and increments the version on each new description.
/// </summary>
public sealed record Origin(string Username, string SessionId, ulong SessionVersion, string NetType, string AddressType, string Address)
{
    public static Origin Create(ulong sessionId, ulong sessionVersion = 2) =>
        new("-", SdpToken.Str(sessionId), sessionVersion, "IN", "IP4", "127.0.0.1");

    public override string ToString() => $"{Username} {SessionId} {SdpToken.Str(SessionVersion)} {NetType} {AddressType} {Address}";

    internal static bool TryParse(string value, out Origin? origin, out string? error)
    {
        origin = null;
        var parts = value.Split(' ');
        if (parts.Length != 6)
        {
            error = $"o= needs 6 space-separated fields, got {parts.Length}";
            return false;
        }
        foreach (var p in parts)
        {
            if (!SdpToken.IsVisible(p))
            {
                error = "o= has an empty or non-printable field";
                return false;
            }
        }
        // sess-id is 1*DIGIT (RFC 8866 §9) and may be wider than 64 bits in other stacks, so it stays a string.
        if (!SdpToken.IsDigits(parts[1]))
        {
            error = $"o= session id '{parts[1]}' is not numeric";
            return false;
        }
        if (!SdpToken.TryULong(parts[2], out var version))
        {
            error = $"o= session version '{parts[2]}' is not a 64-bit number";
            return false;
        }
        origin = new Origin(parts[0], parts[1], version, parts[3], parts[4], parts[5]);
        error = null;
        return true;
    }
}
