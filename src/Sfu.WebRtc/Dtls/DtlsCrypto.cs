using System.Security.Cryptography;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Sfu.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's TLS crypto with the elliptic-curve work moved to the platform (OpenSSL on Linux, CNG on Windows):
/// ECDHE key generation and agreement, and ECDSA verification of the peer's CertificateVerify/ServerKeyExchange.
/// BouncyCastle's managed P-256 arithmetic cost ~8 ms of CPU per handshake side, which is what a join storm waits
/// for; the platform does the same scalar multiplications in well under a millisecond. Record protection, hashing
/// and the protocol state machine stay BouncyCastle's.
/// </summary>
internal sealed class DtlsCrypto(SecureRandom random) : BcTlsCrypto(random)
{
    /// <summary>ECDHE groups in our order of preference: the platform-backed NIST curve first.</summary>
    public static readonly int[] PreferredGroups = [NamedGroup.secp256r1, NamedGroup.x25519, NamedGroup.secp384r1];

    public override TlsECDomain CreateECDomain(TlsECConfig ecConfig) =>
        PlatformEcdhDomain.CurveFor(ecConfig.NamedGroup) is { } curve
            ? new PlatformEcdhDomain(this, curve)
            : base.CreateECDomain(ecConfig);

    public override TlsCertificate CreateCertificate(short type, byte[] encoding) =>
        type == CertificateType.X509 ? new PlatformVerifyingCertificate(this, encoding) : base.CreateCertificate(type, encoding);
}

/// <summary>ECDHE over a NIST curve with the platform's ECDiffieHellman (RFC 8422 §5.4: uncompressed points only).</summary>
internal sealed class PlatformEcdhDomain(BcTlsCrypto crypto, ECCurve curve) : TlsECDomain
{
    public static ECCurve? CurveFor(int namedGroup) => namedGroup switch
    {
        NamedGroup.secp256r1 => ECCurve.NamedCurves.nistP256,
        NamedGroup.secp384r1 => ECCurve.NamedCurves.nistP384,
        NamedGroup.secp521r1 => ECCurve.NamedCurves.nistP521,
        _ => null,
    };

    public TlsAgreement CreateECDH() => new PlatformEcdhAgreement(crypto, curve);
}

internal sealed class PlatformEcdhAgreement(BcTlsCrypto crypto, ECCurve curve) : TlsAgreement
{
    private ECDiffieHellman? _local;
    private ECDiffieHellman? _peer;

    public byte[] GenerateEphemeral()
    {
        _local = ECDiffieHellman.Create(curve);
        var q = _local.ExportParameters(false).Q;
        // ECPoint: 0x04 || X || Y, coordinates at the field size (.NET exports them padded).
        var point = new byte[1 + q.X!.Length + q.Y!.Length];
        point[0] = 0x04;
        q.X.CopyTo(point, 1);
        q.Y.CopyTo(point, 1 + q.X.Length);
        return point;
    }

    public void ReceivePeerValue(byte[] peerValue)
    {
        var size = _local is null ? FieldSize(curve) : (_local.KeySize + 7) / 8;
        if (peerValue.Length != 1 + 2 * size || peerValue[0] != 0x04)
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        try
        {
            // Importing checks that the point is on the curve (an invalid-curve attack fails here).
            _peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = curve,
                Q = new ECPoint { X = peerValue[1..(1 + size)], Y = peerValue[(1 + size)..] },
            });
        }
        catch (CryptographicException e)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, e);
        }
    }

    public TlsSecret CalculateSecret()
    {
        if (_local is null || _peer is null) throw new TlsFatalAlert(AlertDescription.internal_error);
        try
        {
            // The premaster secret is the x coordinate of the shared point (RFC 8422 §5.10), unhashed.
            return crypto.CreateSecret(_local.DeriveRawSecretAgreement(_peer.PublicKey));
        }
        finally
        {
            _local.Dispose();
            _peer.Dispose();
        }
    }

    private static int FieldSize(ECCurve c) =>
        c.Oid.Value switch { "1.2.840.10045.3.1.7" => 32, "1.3.132.0.34" => 48, _ => 66 };
}

/// <summary>A peer certificate whose ECDSA signatures are checked by the platform; other key types stay BouncyCastle's.</summary>
internal sealed class PlatformVerifyingCertificate(BcTlsCrypto crypto, byte[] encoding) : BcTlsCertificate(crypto, encoding)
{
    public override TlsVerifier CreateVerifier(short signatureAlgorithm)
    {
        if (signatureAlgorithm != SignatureAlgorithm.ecdsa) return base.CreateVerifier(signatureAlgorithm);
        ValidateKeyUsage(KeyUsage.DigitalSignature);
        ECDsa key;
        try
        {
            key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo.GetEncoded(), out _);
        }
        catch (CryptographicException e)
        {
            throw new TlsFatalAlert(AlertDescription.certificate_unknown, e);
        }
        return new PlatformEcdsaVerifier(key);
    }

    private static class KeyUsage
    {
        public const int DigitalSignature = 1 << 7;
    }
}

/// <summary>Verifies TLS 1.2 ECDSA signatures (DER-encoded, RFC 8422 §5.4) over the hash BouncyCastle computed.</summary>
internal sealed class PlatformEcdsaVerifier(ECDsa key) : TlsVerifier
{
    public TlsStreamVerifier? GetStreamVerifier(DigitallySigned digitallySigned) => null;

    public bool VerifyRawSignature(DigitallySigned digitallySigned, byte[] hash)
    {
        var algorithm = digitallySigned.Algorithm;
        if (algorithm is not null && algorithm.Signature != SignatureAlgorithm.ecdsa)
            throw new InvalidOperationException("Invalid algorithm: " + algorithm);
        return key.VerifyHash(hash, digitallySigned.Signature, DSASignatureFormat.Rfc3279DerSequence);
    }
}

/// <summary>Signs ServerKeyExchange / CertificateVerify with our certificate's key on the platform.</summary>
internal sealed class PlatformEcdsaSigner(ECDsa key) : TlsSigner
{
    public byte[] GenerateRawSignature(SignatureAndHashAlgorithm algorithm, byte[] hash) =>
        key.SignHash(hash, DSASignatureFormat.Rfc3279DerSequence);

    public TlsStreamSigner? GetStreamSigner(SignatureAndHashAlgorithm algorithm) => null;
}
