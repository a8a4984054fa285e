using System.Buffers.Binary;
using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Recovery;

/// <summary>
/// RTP retransmission payload format (RFC 4588 §4): a retransmission travels on its own SSRC and payload type
/// with its own sequence numbers, and carries the original sequence number (OSN) before the original payload.
/// Timestamp, marker, CSRCs and header extensions stay those of the original packet.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         RTP Header                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            OSN                |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
/// |                  Original RTP Packet Payload                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Both directions work in place on one buffer; RTP padding is dropped (it only ever pads, RFC 3550 §5.1), which is
/// also how senders probe bandwidth with RTX packets that have no OSN at all.
/// </remarks>
public static class RtxPacket
{
    public const int OsnLength = 2;

    /// <summary>True for an RTX packet with nothing to restore: padding only (a bandwidth probe) or an OSN without payload.</summary>
    public static bool IsPaddingOnly(in RtpHeader rtx) => rtx.PayloadLength <= OsnLength;

    /// <summary>
    /// Turns the RTX packet in <paramref name="packet"/> back into the original packet, in place: sequence number
    /// from the OSN, the original payload type and SSRC, the payload moved up over the OSN, padding dropped.
    /// False (packet unchanged) when there is no original payload to restore.
    /// </summary>
    public static bool TryRestore(Span<byte> packet, byte originalPayloadType, uint originalSsrc, out int length)
    {
        length = 0;
        if (originalPayloadType > 127 || !RtpHeader.TryParse(packet, out var header) || IsPaddingOnly(header)) return false;
        var payload = header.PayloadOffset;
        var osn = BinaryPrimitives.ReadUInt16BigEndian(packet[payload..]);
        var originalLength = header.PayloadLength - OsnLength;
        packet.Slice(payload + OsnLength, originalLength).CopyTo(packet[payload..]);
        packet[0] &= 0xDF;
        RtpHeader.WriteSequenceNumber(packet, osn);
        RtpHeader.WritePayloadType(packet, originalPayloadType);
        RtpHeader.WriteSsrc(packet, originalSsrc);
        length = payload + originalLength;
        return true;
    }

    /// <summary>
    /// Turns the packet in <paramref name="buffer"/>[..<paramref name="length"/>] into its retransmission, in place:
    /// OSN inserted before the payload, RTX payload type, SSRC and sequence number written, padding dropped.
    /// False when the buffer has no room for the two extra bytes or the packet does not parse.
    /// </summary>
    public static bool TryWrap(Span<byte> buffer, int length, byte rtxPayloadType, uint rtxSsrc, ushort rtxSequence, out int rtxLength)
    {
        rtxLength = 0;
        if (rtxPayloadType > 127 || length > buffer.Length || !RtpHeader.TryParse(buffer[..length], out var header)) return false;
        var payload = header.PayloadOffset;
        rtxLength = payload + OsnLength + header.PayloadLength;
        if (rtxLength > buffer.Length)
        {
            rtxLength = 0;
            return false;
        }
        buffer.Slice(payload, header.PayloadLength).CopyTo(buffer[(payload + OsnLength)..]);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[payload..], header.SequenceNumber);
        buffer[0] &= 0xDF;
        RtpHeader.WriteSequenceNumber(buffer, rtxSequence);
        RtpHeader.WritePayloadType(buffer, rtxPayloadType);
        RtpHeader.WriteSsrc(buffer, rtxSsrc);
        return true;
    }
}
