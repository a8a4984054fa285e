namespace Sfu.WebRtc.Rtcp;

public static class RtcpPacket
{
    /// <summary>
    /// RTP/RTCP demultiplexing on one port (RFC 5761 §4): the second byte of RTCP is its packet type, and
    /// 192..223 would be RTP payload types 64..95 with the marker set, which RFC 5761 forbids for RTP.
    /// </summary>
    public static bool IsRtcp(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= RtcpHeader.Length && datagram[0] >> 6 == 2 && datagram[1] is >= 192 and <= 223;
}
