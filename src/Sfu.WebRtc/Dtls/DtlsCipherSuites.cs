using Org.BouncyCastle.Tls;

namespace Sfu.WebRtc.Dtls;

internal static class DtlsCipherSuites
{
    /// <summary>
    /// ECDHE with ECDSA certificates only: every WebRTC browser uses ECDSA P-256 certificates, and ECDHE gives
    /// forward secrecy for the exported SRTP keys. AES-GCM first, as Chromium and Firefox prefer. No ChaCha20: its
    /// 17-byte minimum record would defeat <see cref="DtlsRecordFilter"/>'s length screen, and every WebRTC stack has AES-GCM.
    /// </summary>
    public static readonly int[] EcdheEcdsa =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    ];

    /// <summary>
    /// As a client we also accept an RSA-certified server (some non-browser endpoints still use RSA); our own
    /// certificate stays ECDSA, which the server's CertificateRequest must allow.
    /// </summary>
    public static readonly int[] Client =
    [
        .. EcdheEcdsa,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    ];
}
