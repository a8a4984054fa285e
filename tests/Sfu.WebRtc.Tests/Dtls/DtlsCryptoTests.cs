using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Utilities;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Sfu.WebRtc.Dtls;

namespace Sfu.WebRtc.Tests.Dtls;

/// <summary>The platform-backed EC operations must agree bit for bit with BouncyCastle's own, and refuse bad points.</summary>
public sealed class DtlsCryptoTests
{
    private static readonly DtlsCrypto Crypto = new(new SecureRandom());
    private static readonly X9ECParameters P256 = ECNamedCurveTable.GetByOid(SecObjectIdentifiers.SecP256r1);
    private static readonly ECDomainParameters Domain = new(P256);

    private static TlsAgreement Agreement() => Crypto.CreateECDomain(new TlsECConfig(NamedGroup.secp256r1)).CreateECDH();

    [Fact]
    public void Ecdh_on_p256_uses_the_platform_and_matches_bouncycastles_agreement()
    {
        Assert.IsType<PlatformEcdhAgreement>(Agreement());
        for (var i = 0; i < 20; i++)
        {
            var ours = Agreement();
            var ourPoint = ours.GenerateEphemeral();
            Assert.Equal(65, ourPoint.Length);
            Assert.Equal(0x04, ourPoint[0]);

            // The other side in BouncyCastle's own arithmetic.
            var generator = new ECKeyPairGenerator();
            generator.Init(new ECKeyGenerationParameters(Domain, new SecureRandom()));
            var theirs = generator.GenerateKeyPair();
            var theirPoint = ((ECPublicKeyParameters)theirs.Public).Q.GetEncoded(false);
            ours.ReceivePeerValue(theirPoint);
            var ourSecret = ours.CalculateSecret().Extract();

            var agreement = new ECDHBasicAgreement();
            agreement.Init(theirs.Private);
            var expected = BigIntegers.AsUnsignedByteArray(32, agreement.CalculateAgreement(new ECPublicKeyParameters(Domain.Curve.DecodePoint(ourPoint), Domain)));
            Assert.Equal(expected, ourSecret);
        }
    }

    [Fact]
    public void Other_groups_stay_with_bouncycastle()
    {
        Assert.IsNotType<PlatformEcdhAgreement>(Crypto.CreateECDomain(new TlsECConfig(NamedGroup.x25519)).CreateECDH());
    }

    [Theory]
    [InlineData("compressed")]
    [InlineData("short")]
    [InlineData("off-curve")]
    [InlineData("infinity")]
    public void Bad_peer_points_are_an_illegal_parameter_alert(string kind)
    {
        var ours = Agreement();
        var good = ours.GenerateEphemeral();
        var bad = kind switch
        {
            "compressed" => P256.G.GetEncoded(true),
            "short" => good[..64],
            "off-curve" => Mutated(good),
            _ => new byte[65],
        };
        var e = Assert.Throws<TlsFatalAlert>(() => ours.ReceivePeerValue(bad));
        Assert.Equal(AlertDescription.illegal_parameter, e.AlertDescription);
    }

    private static byte[] Mutated(byte[] point)
    {
        var copy = (byte[])point.Clone();
        copy[64] ^= 0x01; // y changes: (x, y') is not on the curve
        return copy;
    }

    [Fact]
    public void Our_ecdsa_signatures_verify_with_bouncycastle_and_the_platform_verifier_checks_bouncycastles()
    {
        var certificate = DtlsCertificate.Generate();
        var key = (ECPrivateKeyParameters)certificate.PrivateKey;
        var publicKey = new ECPublicKeyParameters(key.Parameters.G.Multiply(key.D).Normalize(), key.Parameters);
        var hash = new byte[32];
        Random.Shared.NextBytes(hash);
        var algorithm = new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

        // Sign with the platform key of our certificate; BouncyCastle verifies.
        var signature = new PlatformEcdsaSigner(certificate.PlatformKey).GenerateRawSignature(algorithm, hash);
        var bcVerifier = new DsaDigestSigner(new ECDsaSigner(), new Org.BouncyCastle.Crypto.Digests.NullDigest());
        bcVerifier.Init(false, publicKey);
        bcVerifier.BlockUpdate(hash, 0, hash.Length);
        Assert.True(bcVerifier.VerifySignature(signature));

        // Sign with BouncyCastle; the platform verifier of the certificate accepts it and refuses a tampered hash.
        var bcSigner = new DsaDigestSigner(new ECDsaSigner(), new Org.BouncyCastle.Crypto.Digests.NullDigest());
        bcSigner.Init(true, key);
        bcSigner.BlockUpdate(hash, 0, hash.Length);
        var bcSignature = bcSigner.GenerateSignature();
        var verifier = Crypto.CreateCertificate(CertificateType.X509, certificate.Der.ToArray()).CreateVerifier(SignatureAlgorithm.ecdsa);
        Assert.IsType<PlatformEcdsaVerifier>(verifier);
        Assert.True(verifier.VerifyRawSignature(new DigitallySigned(algorithm, bcSignature), hash));
        hash[0] ^= 1;
        Assert.False(verifier.VerifyRawSignature(new DigitallySigned(algorithm, bcSignature), hash));
    }

    [Fact]
    public async Task Our_client_and_server_agree_on_p256_and_complete_the_handshake()
    {
        var serverFlights = new List<byte[]>();
        using var pair = DtlsPair.Create(wire: (fromServer, datagram, deliver) =>
        {
            if (fromServer) lock (serverFlights) serverFlights.Add(datagram.ToArray());
            deliver(datagram);
        });
        var (server, client) = await pair.HandshakeAsync();
        Assert.Equal(server.Profile, client.Profile);
        // ServerKeyExchange (plaintext before ChangeCipherSpec): ECParameters = named_curve(3) secp256r1(0x0017),
        // then a 65-byte uncompressed point (RFC 8422 §5.4). Both sides put P-256 first, ahead of X25519.
        byte[] p256 = [0x03, 0x00, 0x17, 0x41, 0x04];
        lock (serverFlights) Assert.Contains(serverFlights, d => d.AsSpan().IndexOf(p256) >= 0);
    }
}
