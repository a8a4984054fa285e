using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Sfu.WebRtc.Dtls;

namespace Sfu.WebRtc.Tests.Dtls;

public partial class DtlsCertificateTests
{
    [GeneratedRegex("^([0-9A-F]{2}:){31}[0-9A-F]{2}$")]
    private static partial Regex Sha256FingerprintFormat();

    [Fact]
    public void Fingerprint_has_the_sdp_format()
    {
        var cert = DtlsCertificate.Generate();

        Assert.Matches(Sha256FingerprintFormat(), cert.Sha256Fingerprint);
    }

    [Fact]
    public void Fingerprint_is_the_sha256_of_the_der_certificate()
    {
        var cert = DtlsCertificate.Generate();
        using var x509 = X509CertificateLoader.LoadCertificate(cert.Der.Span);

        var expected = string.Join(":", Convert.ToHexString(x509.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2)
            .Select(c => new string(c)));
        Assert.Equal(expected, cert.Sha256Fingerprint);
    }

    [Fact]
    public void Certificate_is_a_self_signed_p256_ecdsa_certificate_valid_for_30_days()
    {
        var now = DateTimeOffset.UtcNow;
        var cert = DtlsCertificate.Generate();
        using var x509 = X509CertificateLoader.LoadCertificate(cert.Der.Span);

        Assert.Equal("CN=Sfu", x509.Subject);
        Assert.Equal(x509.Subject, x509.Issuer);
        using var key = x509.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key.ExportParameters(false).Curve.Oid.Value);
        Assert.InRange(x509.NotBefore.ToUniversalTime(), now.AddDays(-1).AddMinutes(-1).UtcDateTime, now.AddDays(-1).AddMinutes(1).UtcDateTime);
        Assert.InRange(x509.NotAfter.ToUniversalTime(), now.AddDays(30).AddMinutes(-1).UtcDateTime, now.AddDays(30).AddMinutes(1).UtcDateTime);
        Assert.Equal("1.2.840.10045.4.3.2", x509.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        // Self-signed: the signature verifies with its own key.
        Assert.True(VerifiesWithOwnKey(cert.Der.ToArray(), key));
    }

    [Fact]
    public void Each_certificate_has_its_own_key_and_serial()
    {
        using var a = X509CertificateLoader.LoadCertificate(DtlsCertificate.Generate().Der.Span);
        using var b = X509CertificateLoader.LoadCertificate(DtlsCertificate.Generate().Der.Span);

        Assert.NotEqual(a.SerialNumber, b.SerialNumber);
        Assert.NotEqual(a.GetPublicKey(), b.GetPublicKey());
        Assert.DoesNotContain('-', a.SerialNumber); // positive serial
    }

    private static bool VerifiesWithOwnKey(byte[] der, ECDsa key)
    {
        // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
        var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var tbs = reader.ReadEncodedValue().ToArray();
        reader.ReadSequence();
        var signature = reader.ReadBitString(out _);
        return key.VerifyData(tbs, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }
}
