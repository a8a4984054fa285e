using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Tests.Srtp;

public class AesCounterModeTests
{
    private static readonly byte[] SessionKey = Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");
    private static readonly byte[] Offset = Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");

    // RFC 3711 Appendix B.2: a 65282-block keystream segment, its first and last three blocks.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rfc3711_B2_keystream(bool allowHardware)
    {
        using var ctr = new AesCounterMode(SessionKey, allowHardware);
        var keystream = new byte[1044512];
        ctr.Transform(Offset, keystream);

        Assert.Equal(
            "E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0",
            Convert.ToHexString(keystream, 0, 48));
        Assert.Equal(
            "EC8CDF7398607CB0F2D21675EA9EA1E4" + "362B7C3C6773516318A077D7FC5073AE" + "6A2CC3787889374FBEB4C81B17BA6C44",
            Convert.ToHexString(keystream, keystream.Length - 48, 48));
    }

    [Fact]
    public void Rfc3711_B2_holds_through_the_IV_built_from_salt_SSRC_and_index_zero()
    {
        Span<byte> iv = stackalloc byte[16];
        AesCmHmacSha1Cipher.BuildIv(iv, Offset.AsSpan(0, 14), ssrc: 0, index: 0);
        Assert.Equal(Offset, iv.ToArray());
    }

    [Fact]
    public void IV_places_SSRC_at_octets_4_to_7_and_index_at_8_to_13()
    {
        Span<byte> iv = stackalloc byte[16];
        AesCmHmacSha1Cipher.BuildIv(iv, new byte[14], ssrc: 0xCAFEBABE, index: 0x1122_3344_5566);
        Assert.Equal("00000000CAFEBABE1122334455660000", Convert.ToHexString(iv));
    }

    [Fact]
    public void Hardware_and_software_paths_agree_on_every_length_and_undo_themselves()
    {
        using var hardware = new AesCounterMode(SessionKey, allowHardware: true);
        using var software = new AesCounterMode(SessionKey, allowHardware: false);
        var random = new Random(3711);
        var iv = new byte[16];
        for (int length = 0; length <= 700; length += 1 + length / 16)
        {
            random.NextBytes(iv.AsSpan(0, 14));
            var plain = new byte[length];
            random.NextBytes(plain);
            var a = (byte[])plain.Clone();
            var b = (byte[])plain.Clone();
            hardware.Transform(iv, a);
            software.Transform(iv, b);
            Assert.Equal(b, a);
            if (length >= 16)
                Assert.NotEqual(plain, a);
            hardware.Transform(iv, a);
            Assert.Equal(plain, a);
        }
    }
}
