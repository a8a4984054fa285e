namespace Sfu.WebRtc.Codecs;

/// <summary>Decides whether an RTP payload starts a key frame, by codec.</summary>
public static class KeyframeDetector
{
    /// <summary>Maps an SDP codec name (rtpmap encoding name, any case) to a <see cref="VideoCodec"/>.</summary>
    public static VideoCodec Resolve(string codecName) =>
        codecName.Equals("VP8", StringComparison.OrdinalIgnoreCase) ? VideoCodec.Vp8
        : codecName.Equals("VP9", StringComparison.OrdinalIgnoreCase) ? VideoCodec.Vp9
        : codecName.Equals("H264", StringComparison.OrdinalIgnoreCase) ? VideoCodec.H264
        : codecName.Equals("AV1", StringComparison.OrdinalIgnoreCase) ? VideoCodec.Av1
        : VideoCodec.Unknown;

    /// <summary>False for unknown codecs and malformed payloads.</summary>
    public static bool IsKeyframe(string codecName, ReadOnlySpan<byte> payload) => IsKeyframe(Resolve(codecName), payload);

    public static bool IsKeyframe(VideoCodec codec, ReadOnlySpan<byte> payload) => codec switch
    {
        VideoCodec.Vp8 => Vp8PayloadDescriptor.TryParse(payload, out var vp8) && vp8.IsKeyframe,
        VideoCodec.Vp9 => Vp9PayloadDescriptor.IsKeyframePayload(payload),
        VideoCodec.H264 => H264Payload.IsKeyframe(payload),
        VideoCodec.Av1 => Av1Payload.IsKeyframe(payload),
        _ => false,
    };
}
