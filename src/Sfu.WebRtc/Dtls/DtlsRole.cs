namespace Sfu.WebRtc.Dtls;

/// <summary>
/// Our side of the DTLS handshake. RFC 5763 §5 / RFC 8842: the answerer picks; we answer "passive" to an
/// offer's actpass or active, which makes us the DTLS server; only when the remote is passive are we the client.
/// </summary>
public enum DtlsRole
{
    Server,
    Client,
}
