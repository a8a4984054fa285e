namespace Sfu.WebRtc.Sdp;

/// <summary>
/// <c>a=ssrc-group:&lt;semantics&gt; &lt;ssrc-id&gt; ...</c> (RFC 5576 §4.2). FID pairs a media SSRC with its RTX
/// SSRC (RFC 4588 §8.7); SIM lists legacy (SSRC-based) simulcast layers, lowest first.
/// </summary>
public sealed record SsrcGroup(string Semantics, IReadOnlyList<uint> Ssrcs)
{
    public const string Fid = "FID";
    public const string Sim = "SIM";
    public const string FecFr = "FEC-FR";

    public override string ToString() => $"ssrc-group:{Semantics} {string.Join(' ', Ssrcs.Select(SdpToken.Str))}";

    public static bool TryParse(string value, out SsrcGroup? group, out string? error)
    {
        group = null;
        var parts = SdpToken.SplitSpaces(value);
        if (parts.Length < 2 || !SdpToken.IsToken(parts[0]))
        {
            error = "a=ssrc-group needs '<semantics> <ssrc> ...'";
            return false;
        }
        var ssrcs = new uint[parts.Length - 1];
        for (var i = 1; i < parts.Length; i++)
        {
            if (!SdpToken.TryUInt(parts[i], out ssrcs[i - 1]))
            {
                error = $"a=ssrc-group ssrc '{parts[i]}' is not a 32-bit number";
                return false;
            }
        }
        group = new SsrcGroup(parts[0], ssrcs);
        error = null;
        return true;
    }
}
