namespace Sfu.WebRtc.Rtcp;

/// <summary>FMT values carried in the count field of RTPFB and PSFB packets.</summary>
public static class RtcpFeedbackFormat
{
    /// <summary>RTPFB: Generic NACK (RFC 4585 §6.2.1).</summary>
    public const int GenericNack = 1;

    /// <summary>RTPFB: transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).</summary>
    public const int TransportCc = 15;

    /// <summary>PSFB: Picture Loss Indication (RFC 4585 §6.3.1).</summary>
    public const int PictureLossIndication = 1;

    /// <summary>PSFB: Full Intra Request (RFC 5104 §4.3.1).</summary>
    public const int FullIntraRequest = 4;

    /// <summary>PSFB: application layer feedback (RFC 4585 §6.4), which carries REMB.</summary>
    public const int ApplicationLayer = 15;
}
