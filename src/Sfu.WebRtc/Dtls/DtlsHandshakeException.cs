namespace Sfu.WebRtc.Dtls;

/// <summary>The reason <see cref="DtlsTransport.Completed"/> faulted; the BouncyCastle exception, if any, is the inner exception.</summary>
public sealed class DtlsHandshakeException : Exception
{
    public DtlsHandshakeException(DtlsFailureReason reason, string message, Exception? inner = null, short? alertDescription = null)
        : base(message, inner)
    {
        Reason = reason;
        AlertDescription = alertDescription;
    }

    public DtlsFailureReason Reason { get; }

    /// <summary>The TLS AlertDescription code received from the peer, when <see cref="Reason"/> is AlertReceived.</summary>
    public short? AlertDescription { get; }
}
