using Sfu.WebRtc.Dtls;

namespace Sfu.WebRtc.Tests.Dtls;

public class DtlsFingerprintTests
{
    [Fact]
    public void Format_and_parse_round_trip()
    {
        byte[] hash = [0x00, 0x0F, 0xA0, 0xFF];

        var text = DtlsFingerprint.Format(hash);

        Assert.Equal("00:0F:A0:FF", text);
        Assert.True(DtlsFingerprint.TryParse(text, out var back));
        Assert.Equal(hash, back);
    }

    [Fact]
    public void Parse_accepts_lower_case()
    {
        Assert.True(DtlsFingerprint.TryParse("ab:cd:ef", out var bytes));
        Assert.Equal(new byte[] { 0xAB, 0xCD, 0xEF }, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("A")]
    [InlineData("ABC")]
    [InlineData("AB:C")]
    [InlineData("AB-CD")]
    [InlineData("AB:CD:")]
    [InlineData("AB::CD")]
    [InlineData("G0:00")]
    [InlineData("ABCD:EF")]
    public void Parse_rejects_malformed_text(string text)
    {
        Assert.False(DtlsFingerprint.TryParse(text, out _));
    }

    [Fact]
    public void Parse_never_throws_on_random_input()
    {
        var random = new Random(8122);
        const string alphabet = "0123456789ABCDEFabcdefg:: -";
        for (var i = 0; i < 5000; i++)
        {
            var chars = new char[random.Next(0, 100)];
            for (var j = 0; j < chars.Length; j++)
                chars[j] = alphabet[random.Next(alphabet.Length)];
            if (DtlsFingerprint.TryParse(chars, out var bytes))
                Assert.Equal(DtlsFingerprint.Format(bytes), new string(chars).Trim().ToUpperInvariant());
        }
    }

    [Theory]
    [InlineData("sha-1", 20)]
    [InlineData("sha-256", 32)]
    [InlineData("SHA-256", 32)]
    [InlineData("sha-384", 48)]
    [InlineData("sha-512", 64)]
    public void Known_hash_functions(string name, int length)
    {
        Assert.True(DtlsFingerprint.TryHash(name, [1, 2, 3], out var hash));
        Assert.Equal(length, hash.Length);
    }

    [Fact]
    public void Unknown_hash_function_is_rejected()
    {
        Assert.False(DtlsFingerprint.TryHash("md5", [1, 2, 3], out _));
    }
}
