namespace Sfu.WebRtc.Rtcp;

/// <summary>RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1).</summary>
public static class RtcpPacketType
{
    public const byte SR = 200;
    public const byte RR = 201;
    public const byte SDES = 202;
    public const byte BYE = 203;
    public const byte APP = 204;

    /// <summary>Transport-layer feedback (RFC 4585 §6.2): NACK, transport-wide CC.</summary>
    public const byte RTPFB = 205;

    /// <summary>Payload-specific feedback (RFC 4585 §6.3): PLI, FIR, REMB.</summary>
    public const byte PSFB = 206;
}
