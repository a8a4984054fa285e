using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.X509;

namespace Sfu.WebRtc.Dtls;

/// <summary>
/// Our self-signed DTLS identity. WebRTC peers never validate a chain, only the hash announced in SDP
/// (RFC 8827 §6.5), so one short-lived certificate per process (or per session) is enough.
/// </summary>
public sealed class DtlsCertificate
{
    private readonly byte[] _der;

    private readonly Lazy<System.Security.Cryptography.ECDsa> _platformKey;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey)
    {
        _der = der;
        PrivateKey = privateKey;
        _platformKey = new(() => ToPlatformKey((ECPrivateKeyParameters)privateKey));
        DtlsFingerprint.TryHash("sha-256", der, out var hash);
        Sha256Fingerprint = DtlsFingerprint.Format(hash);
    }

    /// <summary>ECDSA P-256 (what Chromium and Firefox generate themselves), CN=Sfu, valid from now-1 day for 30 days.</summary>
    public static DtlsCertificate Generate() => Generate(TimeProvider.System);

    public static DtlsCertificate Generate(TimeProvider timeProvider)
    {
        var random = new SecureRandom();
        var keyGen = new ECKeyPairGenerator();
        // A named-curve OID (not explicit parameters): BoringSSL rejects certificates with explicit EC parameters.
        keyGen.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var keyPair = keyGen.GenerateKeyPair();

        var serialBytes = new byte[16];
        random.NextBytes(serialBytes);
        serialBytes[0] = (byte)(serialBytes[0] & 0x7F | 0x01); // positive and non-zero (RFC 5280 §4.1.2.2)

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var name = new X509Name("CN=Sfu");
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(new BigInteger(1, serialBytes));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        // Back-dated a day so a peer whose clock lags ours does not see a not-yet-valid certificate.
        generator.SetNotBefore(now.AddDays(-1));
        generator.SetNotAfter(now.AddDays(30));
        generator.SetPublicKey(keyPair.Public);
        var certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));
        return new DtlsCertificate(certificate.GetEncoded(), keyPair.Private);
    }

    /// <summary>"AB:CD:..." upper-case hex with colons, ready for <c>a=fingerprint:sha-256</c>.</summary>
    public string Sha256Fingerprint { get; }

    /// <summary>The DER encoding, for other fingerprint algorithms or for tools that want the certificate itself.</summary>
    public ReadOnlyMemory<byte> Der => _der;

    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>The private key as the platform's ECDSA (made on first use).</summary>
    internal System.Security.Cryptography.ECDsa PlatformKey => _platformKey.Value;

    internal Certificate ToTlsCertificate(TlsCrypto crypto) =>
        new([crypto.CreateCertificate(_der)]);

    internal TlsCredentialedSigner CreateSigner(TlsContext context, Org.BouncyCastle.Tls.Crypto.Impl.BC.BcTlsCrypto crypto) =>
        new DefaultTlsCredentialedSigner(
            new TlsCryptoParameters(context), new PlatformEcdsaSigner(PlatformKey), ToTlsCertificate(crypto),
            // ecdsa_secp256r1_sha256: mandatory for P-256 keys in every DTLS 1.2 stack WebRTC meets.
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));

    /// <summary>The same key for the platform's ECDSA (see <see cref="DtlsCrypto"/>): signing with it is ~10x cheaper than BouncyCastle's.</summary>
    private static System.Security.Cryptography.ECDsa ToPlatformKey(ECPrivateKeyParameters key)
    {
        var q = key.Parameters.G.Multiply(key.D).Normalize();
        const int size = 32;
        return System.Security.Cryptography.ECDsa.Create(new System.Security.Cryptography.ECParameters
        {
            Curve = System.Security.Cryptography.ECCurve.NamedCurves.nistP256,
            D = key.D.ToByteArrayUnsigned().PadLeft(size),
            Q = new System.Security.Cryptography.ECPoint
            {
                X = q.AffineXCoord.ToBigInteger().ToByteArrayUnsigned().PadLeft(size),
                Y = q.AffineYCoord.ToBigInteger().ToByteArrayUnsigned().PadLeft(size),
            },
        });
    }
}

internal static class ByteArrayPadding
{
    public static byte[] PadLeft(this byte[] value, int size)
    {
        if (value.Length >= size) return value;
        var padded = new byte[size];
        value.CopyTo(padded, size - value.Length);
        return padded;
    }
}
