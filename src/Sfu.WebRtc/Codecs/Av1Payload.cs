namespace Sfu.WebRtc.Codecs;

/// <summary>AV1 RTP payloads (AV1 RTP specification §4.4, aggregation header).</summary>
public static class Av1Payload
{
    /// <remarks>
    /// <code>
    ///  0 1 2 3 4 5 6 7
    /// +-+-+-+-+-+-+-+-+
    /// |Z|Y| W |N|-|-|-|
    /// +-+-+-+-+-+-+-+-+
    /// </code>
    /// N = 1 marks the first packet of a coded video sequence, which starts with a key frame.
    /// </remarks>
    public static bool IsKeyframe(ReadOnlySpan<byte> payload) => !payload.IsEmpty && (payload[0] & 0x08) != 0;
}
