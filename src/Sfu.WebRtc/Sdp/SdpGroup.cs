namespace Sfu.WebRtc.Sdp;

/// <summary>
/// <c>a=group:&lt;semantics&gt; *(SP &lt;mid&gt;)</c> (RFC 5888 §5). With BUNDLE (RFC 9143 §7.1) the first mid is the
/// offerer's tagged m-section whose transport every bundled section shares.
/// </summary>
public sealed record SdpGroup(string Semantics, IReadOnlyList<string> Mids)
{
    public const string Bundle = "BUNDLE";

    public override string ToString() => Mids.Count == 0 ? $"group:{Semantics}" : $"group:{Semantics} {string.Join(' ', Mids)}";

    internal static bool TryParse(string value, out SdpGroup? group, out string? error)
    {
        group = null;
        var parts = SdpToken.SplitSpaces(value);
        if (parts.Length == 0 || !SdpToken.IsToken(parts[0]))
        {
            error = "a=group needs a semantics token";
            return false;
        }
        var mids = parts[1..];
        if (mids.Distinct(StringComparer.Ordinal).Count() != mids.Length)
        {
            error = "a=group lists a mid twice";
            return false;
        }
        group = new SdpGroup(parts[0], mids);
        error = null;
        return true;
    }
}
