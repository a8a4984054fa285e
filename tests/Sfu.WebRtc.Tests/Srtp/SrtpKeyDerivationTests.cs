using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Tests.Srtp;

public class SrtpKeyDerivationTests
{
    // RFC 3711 Appendix B.3.
    [Fact]
    public void Rfc3711_B3_session_encryption_key_salt_and_auth_key()
    {
        var keys = SrtpSessionKeys.Derive(SrtpProfile.Aes128CmHmacSha1_80, SrtpTestPackets.MasterKey, SrtpTestPackets.MasterSalt14);

        Assert.Equal("C61E7A93744F39EE10734AFE3FF7A087", Convert.ToHexString(keys.RtpKey));
        Assert.Equal("30CBBC08863D8C85D49DB34A9AE1", Convert.ToHexString(keys.RtpSalt));
        Assert.Equal("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", Convert.ToHexString(keys.RtpAuthKey));
    }

    // B.3 lists 94 octets of auth-key keystream (six AES blocks), which pins the PRF's block counter too.
    [Fact]
    public void Rfc3711_B3_auth_label_keystream_over_six_blocks()
    {
        using var prf = new AesCounterMode(SrtpTestPackets.MasterKey);
        var keystream = SrtpSessionKeys.Derive(prf, SrtpTestPackets.MasterSalt14, SrtpSessionKeys.LabelRtpAuthentication, 94);
        Assert.Equal(
            "CEBE321F6FF7716B6FD4AB49AF256A15" + "6D38BAA48F0A0ACF3C34E2359E6CDBCE" + "E049646C43D9327AD175578EF7227098" +
            "6371C10C9A369AC2F94A8C5FBCDDDC25" + "6D6E919A48B610EF17C2041E47403576" + "6B68642C59BBFC2F34DB60DBDFB2",
            Convert.ToHexString(keystream));
    }

    [Fact]
    public void Rtcp_keys_use_their_own_labels()
    {
        var keys = SrtpSessionKeys.Derive(SrtpProfile.Aes128CmHmacSha1_80, SrtpTestPackets.MasterKey, SrtpTestPackets.MasterSalt14);
        using var prf = new AesCounterMode(SrtpTestPackets.MasterKey);
        Assert.Equal(SrtpSessionKeys.Derive(prf, SrtpTestPackets.MasterSalt14, 0x03, 16), keys.RtcpKey);
        Assert.Equal(SrtpSessionKeys.Derive(prf, SrtpTestPackets.MasterSalt14, 0x04, 20), keys.RtcpAuthKey);
        Assert.Equal(SrtpSessionKeys.Derive(prf, SrtpTestPackets.MasterSalt14, 0x05, 14), keys.RtcpSalt);
        Assert.NotEqual(keys.RtpKey, keys.RtcpKey);
    }

    // RFC 7714 §11 + erratum 4938: the 96-bit GCM master salt is multiplied by 2^16, i.e. zero-padded to 112 bits.
    [Fact]
    public void Gcm_derivation_pads_the_96_bit_salt_on_the_right()
    {
        byte[] salt12 = SrtpTestPackets.MasterSalt14[..12];
        byte[] padded = [.. salt12, 0, 0];
        var gcm = SrtpSessionKeys.Derive(SrtpProfile.AeadAes128Gcm, SrtpTestPackets.MasterKey, salt12);
        var cm = SrtpSessionKeys.Derive(SrtpProfile.Aes128CmHmacSha1_80, SrtpTestPackets.MasterKey, padded);

        Assert.Equal(cm.RtpKey, gcm.RtpKey);
        Assert.Equal(cm.RtpSalt[..12], gcm.RtpSalt);
        Assert.Equal(cm.RtcpKey, gcm.RtcpKey);
        Assert.Equal(cm.RtcpSalt[..12], gcm.RtcpSalt);
        Assert.Empty(gcm.RtpAuthKey);
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, 15, 14)]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, 16, 12)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 16, 14)]
    [InlineData((SrtpProfile)0x0002, 16, 14)]
    public void Wrong_key_or_salt_length_or_profile_is_refused(SrtpProfile profile, int keyLength, int saltLength)
    {
        Assert.ThrowsAny<ArgumentException>(() => new SrtpContext(profile, new byte[keyLength], new byte[saltLength]));
    }
}
