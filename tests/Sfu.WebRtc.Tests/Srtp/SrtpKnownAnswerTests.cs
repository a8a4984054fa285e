using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Tests.Srtp;

/// <summary>Whole-packet vectors: RFC 7714 §16/§17 (given as session keys) and libsrtp's srtp_driver AES-CM vectors (from the RFC 3711 B.3 master key).</summary>
public class SrtpKnownAnswerTests
{
    private static readonly byte[] GcmKey = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] GcmSalt = Convert.FromHexString("517569642070726f2071756f"); // "Quid pro quo"

    // RFC 7714 §16: header 8040f17b 8041f8d3 5501a0b2 (seq 0xf17b, SSRC 0x5501a0b2, ROC 0), payload "Gallia est omnis divisa in partes tres".
    private const string Rfc7714Rtp =
        "8040f17b8041f8d35501a0b2" + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573";
    private const string Rfc7714Srtp =
        "8040f17b8041f8d35501a0b2" + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833" +
        "899d7f27beb16a9152cf765ee4390cce";

    // RFC 7714 §17 (SSRC "Mars", SRTCP index 0x5d4).
    private const string Rfc7714Rtcp =
        "81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
    private const string Rfc7714Srtcp =
        "81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4";
    private const string Rfc7714SrtcpTagOnly =
        "81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef841dd9683dd78ec92ae58790125f62b3000005d4";

    private static SrtpContext GcmContext() => new(SrtpProfile.AeadAes128Gcm, new SrtpSessionKeys
    {
        RtpKey = GcmKey,
        RtpSalt = GcmSalt,
        RtpAuthKey = [],
        RtcpKey = GcmKey,
        RtcpSalt = GcmSalt,
        RtcpAuthKey = [],
    });

    [Fact]
    public void Rfc7714_16_1_1_protect_rtp()
    {
        using var sender = GcmContext();
        var buffer = SrtpTestPackets.WithRoom(Convert.FromHexString(Rfc7714Rtp));
        Assert.Equal(SrtpResult.Ok, sender.ProtectRtp(buffer, Rfc7714Rtp.Length / 2, out int length));
        Assert.Equal(Rfc7714Srtp, Convert.ToHexString(buffer, 0, length), ignoreCase: true);
    }

    [Fact]
    public void Rfc7714_16_1_2_unprotect_rtp()
    {
        using var receiver = GcmContext();
        var (result, plain) = SrtpTestPackets.Unprotect(receiver, Convert.FromHexString(Rfc7714Srtp));
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(Rfc7714Rtp, Convert.ToHexString(plain), ignoreCase: true);
    }

    [Fact]
    public void Rfc7714_17_1_unprotect_rtcp()
    {
        using var receiver = GcmContext();
        var (result, plain) = SrtpTestPackets.UnprotectRtcp(receiver, Convert.FromHexString(Rfc7714Srtcp));
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(Rfc7714Rtcp, Convert.ToHexString(plain), ignoreCase: true);
    }

    [Fact]
    public void Rfc7714_17_1_protect_rtcp_at_index_0x5d4()
    {
        using var sender = GcmContext();
        var rtcp = Convert.FromHexString(Rfc7714Rtcp);
        for (int i = 0; i < 0x5d4; i++)
            SrtpTestPackets.ProtectRtcp(sender, rtcp);
        Assert.Equal(Rfc7714Srtcp, Convert.ToHexString(SrtpTestPackets.ProtectRtcp(sender, rtcp)), ignoreCase: true);
    }

    // RFC 7714 §17.3: E clear, nothing encrypted, the whole packet plus E|index is AAD.
    [Fact]
    public void Rfc7714_17_3_authenticated_only_rtcp()
    {
        using var receiver = GcmContext();
        var (result, plain) = SrtpTestPackets.UnprotectRtcp(receiver, Convert.FromHexString(Rfc7714SrtcpTagOnly));
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(Rfc7714Rtcp, Convert.ToHexString(plain), ignoreCase: true);

        var forged = Convert.FromHexString(Rfc7714SrtcpTagOnly);
        forged[20] ^= 1;
        using var other = GcmContext();
        Assert.Equal(SrtpResult.AuthenticationFailed, SrtpTestPackets.UnprotectRtcp(other, forged).Result);
    }

    // libsrtp test/srtp_driver.c reference packets for AES_CM_128_HMAC_SHA1_80, keyed with the RFC 3711 B.3 master key.
    private const string LibsrtpRtp = "800f1234decafbadcafebabe" + "abababababababababababababababab";
    private const string LibsrtpSrtp = "800f1234decafbadcafebabe" + "4e55dc4ce79978d88ca4d215949d2402" + "b78d6acc99ea179b8dbb";
    private const string LibsrtpRtcp = "81c8000bcafebabe" + "abababababababababababababababab";
    private const string LibsrtpSrtcp = "81c8000bcafebabe" + "7128035be487b9bdbef89041f977a5a8" + "80000001" + "993e08cd54d6c1230798";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Libsrtp_aes_cm_rtp_vector_both_ways(bool allowHardware)
    {
        var (sender, receiver) = SrtpTestPackets.Pair(SrtpProfile.Aes128CmHmacSha1_80, allowHardware);
        Assert.Equal(LibsrtpSrtp, Convert.ToHexString(SrtpTestPackets.Protect(sender, Convert.FromHexString(LibsrtpRtp))), ignoreCase: true);

        var (result, plain) = SrtpTestPackets.Unprotect(receiver, Convert.FromHexString(LibsrtpSrtp));
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(LibsrtpRtp, Convert.ToHexString(plain), ignoreCase: true);
    }

    [Fact]
    public void Libsrtp_aes_cm_rtcp_vector_both_ways()
    {
        var (sender, receiver) = SrtpTestPackets.Pair(SrtpProfile.Aes128CmHmacSha1_80);
        var rtcp = Convert.FromHexString(LibsrtpRtcp);
        // libsrtp numbers SRTCP from 1; this context starts at 0 (RFC 3711 §3.4), so its second packet matches.
        var first = SrtpTestPackets.ProtectRtcp(sender, rtcp);
        Assert.EndsWith("80000000", Convert.ToHexString(first, first.Length - 14, 4));
        Assert.Equal(LibsrtpSrtcp, Convert.ToHexString(SrtpTestPackets.ProtectRtcp(sender, rtcp)), ignoreCase: true);

        var (result, plain) = SrtpTestPackets.UnprotectRtcp(receiver, Convert.FromHexString(LibsrtpSrtcp));
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(LibsrtpRtcp, Convert.ToHexString(plain), ignoreCase: true);
    }

    [Fact]
    public void Every_truncation_of_the_libsrtp_vectors_is_refused()
    {
        var srtp = Convert.FromHexString(LibsrtpSrtp);
        var srtcp = Convert.FromHexString(LibsrtpSrtcp);
        for (int length = 0; length < srtp.Length; length++)
        {
            var (_, receiver) = SrtpTestPackets.Pair(SrtpProfile.Aes128CmHmacSha1_80);
            Assert.NotEqual(SrtpResult.Ok, receiver.UnprotectRtp(srtp.AsSpan(0, length).ToArray(), length, out _));
        }
        for (int length = 0; length < srtcp.Length; length++)
        {
            var (_, receiver) = SrtpTestPackets.Pair(SrtpProfile.Aes128CmHmacSha1_80);
            Assert.NotEqual(SrtpResult.Ok, receiver.UnprotectRtcp(srtcp.AsSpan(0, length).ToArray(), length, out _));
        }
    }
}
