using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtcp;

/// <summary>
/// Picture Loss Indication (RFC 4585 §6.3.1): a PSFB with FMT=1 and no FCI.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=1  |   PT=206      |          length=2             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly record struct PictureLossIndication(uint SenderSsrc, uint MediaSsrc)
{
    public const int Length = 12;

    public static bool TryParse(ReadOnlySpan<byte> packet, out PictureLossIndication pli)
    {
        pli = default;
        if (!RtcpHeader.TryGetFeedbackBody(packet, RtcpPacketType.PSFB, RtcpFeedbackFormat.PictureLossIndication, out var body)
            || body.Length < 8)
        {
            return false;
        }

        pli = new PictureLossIndication(BinaryPrimitives.ReadUInt32BigEndian(body), BinaryPrimitives.ReadUInt32BigEndian(body[4..]));
        return true;
    }

    public static int Write(Span<byte> dest, uint senderSsrc, uint mediaSsrc)
    {
        if (dest.Length < Length)
        {
            return -1;
        }

        RtcpHeader.Write(dest, RtcpFeedbackFormat.PictureLossIndication, RtcpPacketType.PSFB, Length);
        BinaryPrimitives.WriteUInt32BigEndian(dest[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(dest[8..], mediaSsrc);
        return Length;
    }
}
