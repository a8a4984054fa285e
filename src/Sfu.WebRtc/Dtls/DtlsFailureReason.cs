namespace Sfu.WebRtc.Dtls;

/// <summary>Why a DTLS handshake did not produce SRTP keys.</summary>
public enum DtlsFailureReason
{
    /// <summary>The peer's certificate does not hash to the a=fingerprint from its SDP, or it sent none.</summary>
    FingerprintMismatch,
    /// <summary>No SRTP protection profile in common, or the peer did not negotiate use_srtp at all.</summary>
    NoCommonSrtpProfile,
    /// <summary>The handshake did not finish within <see cref="DtlsTransportOptions.HandshakeTimeout"/>.</summary>
    Timeout,
    /// <summary>The peer sent a fatal alert (see <see cref="DtlsHandshakeException.AlertDescription"/>).</summary>
    AlertReceived,
    /// <summary>The transport was disposed before the handshake finished.</summary>
    Disposed,
    /// <summary>Any other failure of the DTLS protocol (malformed messages, unsupported parameters, ...).</summary>
    ProtocolError,
}
