namespace Sfu.Streams.Bandwidth;

/// <summary>Limits and probing knobs of one subscriber connection's send-side estimator.</summary>
public sealed record BandwidthEstimatorSettings
{
    public static BandwidthEstimatorSettings Default { get; } = new();

    /// <summary>Where the estimate starts before any feedback (libwebrtc starts at 300 kbps too).</summary>
    public long StartBps { get; init; } = 300_000;

    public long MinBps { get; init; } = 30_000;

    public long MaxBps { get; init; } = 20_000_000;

    /// <summary>The first two probes go to these multiples of <see cref="StartBps"/> (libwebrtc: 3 and 6).</summary>
    public double FirstProbeMultiplier { get; init; } = 3;

    public double SecondProbeMultiplier { get; init; } = 6;

    /// <summary>A probe whose result exceeds this fraction of its target is followed by one at twice the new estimate.</summary>
    public double FurtherProbeThreshold { get; init; } = 0.7;

    /// <summary>How long a probe cluster lasts at its target rate, and the fewest packets it needs to be measured.</summary>
    public long ProbeDurationMicros { get; init; } = 20_000;

    public int ProbeMinPackets { get; init; } = 5;

    /// <summary>Without a result this long after a probe, exponential probing stops.</summary>
    public long ProbeTimeoutMicros { get; init; } = 1_000_000;

    /// <summary>Gap between periodic probes while the estimate is below what the allocator wants, or the sender is
    /// app-limited; 0 turns periodic probing off.</summary>
    public long PeriodicProbeIntervalMicros { get; init; } = 5_000_000;

    /// <summary>Window of the acknowledged-throughput measurement the rate controller decreases from.</summary>
    public long AcknowledgedWindowMicros { get; init; } = 250_000;
}
