namespace Sfu.WebRtc.Codecs;

/// <summary>Video codecs whose payloads the SFU inspects; resolve once per stream with <see cref="KeyframeDetector.Resolve"/>.</summary>
public enum VideoCodec
{
    Unknown,
    Vp8,
    Vp9,
    H264,
    Av1,
}
