namespace Sfu.Streams.Bandwidth;

/// <summary>
/// One subscribed track as the allocator sees it. <see cref="Layers"/> are the layers the publisher actually sends
/// (any order); audio has one entry whose bitrate is reserved. Render size 0 means unknown.
/// Higher <see cref="Priority"/> is served first within the same source.
/// </summary>
public sealed record AllocationRequest(
    string TrackId,
    TrackSource Source,
    IReadOnlyList<SimulcastLayer> Layers,
    QualityRequest MaxQuality = QualityRequest.Auto,
    int RenderWidth = 0,
    int RenderHeight = 0,
    int Priority = 0)
{
    public bool IsAudio => Source == TrackSource.Microphone;

    public static AllocationRequest Audio(string trackId, long bps = 48_000) =>
        new(trackId, TrackSource.Microphone, [new SimulcastLayer(VideoQuality.Low, 0, 0, bps)]);

    public static AllocationRequest Video(
        string trackId, TrackSource source, QualityRequest maxQuality = QualityRequest.Auto, int priority = 0,
        int renderWidth = 0, int renderHeight = 0) =>
        new(trackId, source, SimulcastLayer.DefaultTable, maxQuality, renderWidth, renderHeight, priority);
}
