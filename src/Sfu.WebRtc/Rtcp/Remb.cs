using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtcp;

/// <summary>
/// Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb-03 §2.2): a PSFB application-layer
/// feedback (FMT=15) tagged "REMB", with the bitrate as an 18-bit mantissa shifted left by a 6-bit exponent.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=15  |   PT=206      |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source (0)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Unique identifier 'R' 'E' 'M' 'B'                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Num SSRC     | BR Exp    |  BR Mantissa                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   SSRC feedback (Num SSRC times)                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct Remb
{
    private const uint Identifier = 0x52454D42; // "REMB"
    private const ulong MaxMantissa = 0x3FFFF;

    private Remb(uint senderSsrc, uint mediaSsrc, ulong bitrate, SsrcList ssrcs)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        Bitrate = bitrate;
        Ssrcs = ssrcs;
    }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    /// <summary>Bits per second.</summary>
    public ulong Bitrate { get; }

    public SsrcList Ssrcs { get; }

    public static bool TryParse(ReadOnlySpan<byte> packet, out Remb remb)
    {
        remb = default;
        if (!RtcpHeader.TryGetFeedbackBody(packet, RtcpPacketType.PSFB, RtcpFeedbackFormat.ApplicationLayer, out var body)
            || body.Length < 16
            || BinaryPrimitives.ReadUInt32BigEndian(body[8..]) != Identifier)
        {
            return false;
        }

        int ssrcCount = body[12];
        if (body.Length < 16 + ssrcCount * 4)
        {
            return false;
        }

        var exponent = body[13] >> 2;
        var mantissa = (ulong)(((body[13] & 0x03) << 16) | (body[14] << 8) | body[15]);
        var bitrate = mantissa << exponent;
        // libwebrtc's Remb::Parse rejects values that do not fit 64 bits rather than saturating.
        if (bitrate >> exponent != mantissa)
        {
            return false;
        }

        remb = new Remb(
            BinaryPrimitives.ReadUInt32BigEndian(body),
            BinaryPrimitives.ReadUInt32BigEndian(body[4..]),
            bitrate,
            new SsrcList(body.Slice(16, ssrcCount * 4)));
        return true;
    }

    public static int GetLength(int ssrcCount) => RtcpHeader.Length + 16 + ssrcCount * 4;

    /// <summary>
    /// Writes a REMB for up to 255 SSRCs; the bitrate is rounded down to what 18 bits of mantissa can hold.
    /// Returns bytes written, or -1 if <paramref name="dest"/> is too small.
    /// </summary>
    public static int Write(Span<byte> dest, uint senderSsrc, ulong bitrate, ReadOnlySpan<uint> ssrcs)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ssrcs.Length, 255);
        var length = GetLength(ssrcs.Length);
        if (dest.Length < length)
        {
            return -1;
        }

        var exponent = 0;
        while (bitrate >> exponent > MaxMantissa)
        {
            exponent++;
        }

        var mantissa = (uint)(bitrate >> exponent);
        RtcpHeader.Write(dest, RtcpFeedbackFormat.ApplicationLayer, RtcpPacketType.PSFB, length);
        BinaryPrimitives.WriteUInt32BigEndian(dest[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(dest[8..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(dest[12..], Identifier);
        dest[16] = (byte)ssrcs.Length;
        dest[17] = (byte)((exponent << 2) | (int)(mantissa >> 16));
        dest[18] = (byte)(mantissa >> 8);
        dest[19] = (byte)mantissa;
        var offset = 20;
        foreach (var ssrc in ssrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(dest[offset..], ssrc);
            offset += 4;
        }

        return length;
    }
}
