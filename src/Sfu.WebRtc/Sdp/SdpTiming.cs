namespace Sfu.WebRtc.Sdp;

/// <summary>
/// <c>t=&lt;start&gt; &lt;stop&gt;</c> (RFC 8866 §5.9) with its <c>r=</c> repeat lines kept verbatim.
/// WebRTC always uses <c>t=0 0</c> (an unbounded session, RFC 8829 §5.2.1).
/// </summary>
public sealed record SdpTiming(ulong Start, ulong Stop)
{
    public static SdpTiming Unbounded => new(0, 0);

    public List<string> Repeats { get; init; } = new();

    public override string ToString() => $"{SdpToken.Str(Start)} {SdpToken.Str(Stop)}";

    internal static bool TryParse(string value, out SdpTiming? timing, out string? error)
    {
        timing = null;
        var parts = value.Split(' ');
        if (parts.Length != 2 || !SdpToken.TryULong(parts[0], out var start) || !SdpToken.TryULong(parts[1], out var stop))
        {
            error = $"t= needs '<start> <stop>' as numbers, got '{value}'";
            return false;
        }
        timing = new SdpTiming(start, stop);
        error = null;
        return true;
    }
}
