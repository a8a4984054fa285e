using System.Buffers.Binary;
using Sfu.WebRtc.Rtp;

namespace Sfu.Benchmarks;

/// <summary>
/// A VP8 RTP packet as Chromium sends it: one-byte header extensions (mid, abs-send-time, video-orientation),
/// the VP8 payload descriptor with a 15-bit picture id, then the VP8 payload header. Ids follow Chromium's usual
/// extmap numbering so the rewrite maps real ids.
/// </summary>
internal static class RtpPackets
{
    public const byte MidId = 9;
    public const byte AbsSendTimeId = 2;
    public const byte VideoOrientationId = 13;
    public const byte PayloadType = 96;

    public static byte[] Vp8(int length, uint ssrc, ushort sequence, uint timestamp, bool keyframe)
    {
        var p = new byte[length];
        p[0] = 0x90; // V=2, X=1
        p[1] = PayloadType;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(8), ssrc);
        // RFC 8285 §4.2 one-byte form: 0xBEDE, length in 32-bit words.
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(12), RtpHeader.OneByteExtensionProfile);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(14), 3);
        var e = p.AsSpan(16, 12);
        e[0] = (byte)(MidId << 4 | 0); e[1] = (byte)'0';                                   // mid "0"
        e[2] = (byte)(AbsSendTimeId << 4 | 2); e[3] = 0x12; e[4] = 0x34; e[5] = 0x56;      // abs-send-time (3 bytes)
        e[6] = (byte)(VideoOrientationId << 4 | 0); e[7] = 0;                              // video-orientation
        // e[8..12] stay 0: padding
        var payload = p.AsSpan(28);
        payload[0] = 0x90;  // X=1, S=1, PID=0
        payload[1] = 0x80;  // I: picture id present
        payload[2] = 0x80;  // M=1: 15-bit picture id
        payload[3] = 0x01;
        payload[4] = keyframe ? (byte)0x10 : (byte)0x11; // VP8 payload header: P=0 on key frames (RFC 7741 §4.3)
        new Random(length).NextBytes(payload[5..]);
        return p;
    }
}
