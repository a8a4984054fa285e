namespace Sfu.WebRtc.Sdp;

/// <summary>
/// <c>a=msid:&lt;stream id&gt; [&lt;track id&gt;]</c> (RFC 8830 §2): the MediaStream this m-section's track belongs to.
/// A stream id of "-" means "no stream" (RFC 8829 §5.2.1); the track id ("appdata") is optional.
/// </summary>
public sealed record Msid(string StreamId, string? TrackId = null)
{
    public override string ToString() => TrackId is null ? $"msid:{StreamId}" : $"msid:{StreamId} {TrackId}";

    public static bool TryParse(string value, out Msid? msid, out string? error)
    {
        msid = null;
        var parts = SdpToken.SplitSpaces(value);
        if (parts.Length is < 1 or > 2 || parts[0].Length > 64 || (parts.Length == 2 && parts[1].Length > 64))
        {
            // RFC 8830 §2: msid-id and msid-appdata are 1*64 token-char.
            error = "a=msid needs '<stream id> [<track id>]', each 1..64 characters";
            return false;
        }
        msid = new Msid(parts[0], parts.Length == 2 ? parts[1] : null);
        error = null;
        return true;
    }
}
