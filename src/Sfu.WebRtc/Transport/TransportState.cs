namespace Sfu.WebRtc.Transport;

public enum TransportState
{
    /// <summary>Waiting for the first valid ICE connectivity check.</summary>
    New,
    /// <summary>ICE has a selected pair; the DTLS handshake is running.</summary>
    Connecting,
    /// <summary>DTLS is done and SRTP keys are installed: media flows.</summary>
    Connected,
    /// <summary>Consent expired, DTLS failed, or the peer closed.</summary>
    Failed,
    Closed,
}
