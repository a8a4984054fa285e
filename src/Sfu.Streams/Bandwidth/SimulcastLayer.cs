namespace Sfu.Streams.Bandwidth;

/// <summary>One layer a publisher sends, with the bitrate the allocator budgets for it.</summary>
public readonly record struct SimulcastLayer(VideoQuality Quality, int Width, int Height, long Bps)
{
    /// <summary>The project's quality table: 320x240 at 150 kbps, 640x480 at 500 kbps, 1280x720 at 2.5 Mbps.</summary>
    public static IReadOnlyList<SimulcastLayer> DefaultTable { get; } =
    [
        new(VideoQuality.Low, 320, 240, 150_000),
        new(VideoQuality.Medium, 640, 480, 500_000),
        new(VideoQuality.High, 1280, 720, 2_500_000),
    ];
}
