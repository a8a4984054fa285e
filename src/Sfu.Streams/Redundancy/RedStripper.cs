using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Redundancy;

/// <summary>
/// Turns an RTP packet carrying RED (RFC 2198) into the plain packet of its primary block, in place: the primary
/// (last) block is the newest encoding, the packet a sender without RED would have sent with the same sequence number
/// and timestamp (RFC 2198 §3: the RTP timestamp is the primary's). Redundant blocks are dropped, so a subscriber
/// that did not negotiate red still gets every packet that arrived.
/// </summary>
public static class RedStripper
{
    /// <summary>
    /// Rewrites <paramref name="packet"/> to the primary block's data under the same RTP header, payload type
    /// <paramref name="outputPayloadType"/>, padding removed. False (packet untouched or unusable) when it is not valid
    /// RTP, the RED payload is malformed, the primary is empty or is not <paramref name="primaryPayloadType"/>.
    /// </summary>
    public static bool TryStrip(Span<byte> packet, byte primaryPayloadType, byte outputPayloadType, out int length)
    {
        length = 0;
        if (!RtpHeader.TryParse(packet, out var header) || header.PayloadLength == 0) return false;
        var payload = packet.Slice(header.HeaderLength, header.PayloadLength);
        if (!RedPayload.TryGetPrimary(payload, out var primary) || primary.PayloadType != primaryPayloadType || primary.Length == 0) return false;
        // Span.CopyTo is defined for overlapping ranges: the data moves toward the header.
        payload.Slice(primary.DataOffset, primary.Length).CopyTo(payload);
        packet[0] &= 0xDF;
        RtpHeader.WritePayloadType(packet, outputPayloadType);
        length = header.HeaderLength + primary.Length;
        return true;
    }
}
