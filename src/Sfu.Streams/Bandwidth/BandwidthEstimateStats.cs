namespace Sfu.Streams.Bandwidth;

/// <summary>A copy of the estimator's figures for stats and logs.</summary>
public sealed record BandwidthEstimateStats(
    long EstimateBps, long DelayBasedBps, long LossBasedBps, long AcknowledgedBps, double LossRatio, long RttMicros,
    string State, double ThresholdMs, double TrendSlope, int ProbeClusters);
