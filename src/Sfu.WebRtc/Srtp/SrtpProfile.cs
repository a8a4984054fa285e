namespace Sfu.WebRtc.Srtp;

/// <summary>SRTP protection profiles negotiated through DTLS use_srtp; values are the IANA ids (RFC 5764 §4.1.2, RFC 7714 §14.2).</summary>
public enum SrtpProfile : ushort
{
    Aes128CmHmacSha1_80 = 0x0001,
    AeadAes128Gcm = 0x0007,
}
