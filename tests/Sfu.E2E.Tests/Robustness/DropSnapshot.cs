using Sfu.WebRtc.Transport;

namespace Sfu.E2E.Tests.Robustness;

/// <summary>The in-process server's drop counters at one moment, to measure what an attack added.</summary>
public sealed class DropSnapshot
{
    private readonly long[] _counts;

    private DropSnapshot(long[] counts) => _counts = counts;

    public static DropSnapshot Take() => new(Enum.GetValues<DropReason>().Select(DropCounters.Get).ToArray());

    public long Since(DropReason reason) => DropCounters.Get(reason) - _counts[(int)reason];

    public string Describe() => string.Join(", ",
        Enum.GetValues<DropReason>().Select(r => (r, d: Since(r))).Where(x => x.d != 0).Select(x => $"{x.r}+{x.d}"));
}
