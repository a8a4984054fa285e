namespace Sfu.Streams.Bandwidth;

/// <summary>
/// A burst the sender should emit at <see cref="TargetBps"/> to test that rate: at least <see cref="MinBytes"/> in at
/// least <see cref="MinPackets"/> packets, each numbered with <see cref="Id"/> through
/// <see cref="TransportWideSequencer.Next"/>. Media may count toward it; padding or RTX fills the rest.
/// </summary>
public readonly record struct ProbeCluster(int Id, long TargetBps, int MinPackets, int MinBytes, long CreatedMicros)
{
    /// <summary>Gap between two packets of <paramref name="size"/> bytes at the target rate.</summary>
    public long IntervalMicros(int size) => size * 8_000_000L / Math.Max(TargetBps, 1);
}
