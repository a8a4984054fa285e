namespace Sfu.Streams.Bandwidth;

/// <summary>The allocator's decision for one track: paused, or forwarded at <see cref="Quality"/> (null for audio).</summary>
public readonly record struct TrackAllocation(string TrackId, bool Paused, VideoQuality? Quality, long Bps);
