namespace Sfu.Streams.Bandwidth;

/// <summary>What a track carries; it sets the allocation order (audio, then screen share, then camera).</summary>
public enum TrackSource
{
    Microphone,
    ScreenShare,
    Camera,
}
