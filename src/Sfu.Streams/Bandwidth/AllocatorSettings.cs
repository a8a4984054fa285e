namespace Sfu.Streams.Bandwidth;

/// <summary>Hysteresis of <see cref="BandwidthAllocator"/>.</summary>
public sealed record AllocatorSettings
{
    public static AllocatorSettings Default { get; } = new();

    /// <summary>Going up (or resuming) needs the new layer's bitrate plus this fraction of it to be free...</summary>
    public double UpgradeMargin { get; init; } = 0.15;

    /// <summary>...for this long without interruption. Going down happens at once.</summary>
    public long UpgradeHoldMicros { get; init; } = 2_000_000;
}
