using Sfu.WebRtc.Rtp;

namespace Sfu.WebRtc.Tests.Rtp;

public class ExtensionValueTests
{
    [Theory]
    [InlineData(0L, 0u)]
    [InlineData(1_000_000L, 1u << 18)] // one second is 1.0 in 6.18
    [InlineData(500_000L, 1u << 17)]
    [InlineData(63_000_000L, 63u << 18)]
    [InlineData(64_000_000L, 0u)] // wraps every 64 s
    [InlineData(65_500_000L, (1u << 18) + (1u << 17))]
    public void AbsSendTimeEncodesSixPointEighteenSeconds(long micros, uint expected)
    {
        Assert.Equal(expected, AbsSendTime.FromMicroseconds(micros));
    }

    [Fact]
    public void AbsSendTimeRoundTripsThroughBytes()
    {
        Span<byte> buffer = stackalloc byte[3];
        Assert.Equal(3, AbsSendTime.Write(buffer, 0xABCDEF));
        Assert.Equal(new byte[] { 0xAB, 0xCD, 0xEF }, buffer.ToArray());
        Assert.True(AbsSendTime.TryRead(buffer, out var value));
        Assert.Equal(0xABCDEFu, value);
        Assert.False(AbsSendTime.TryRead(buffer[..2], out _));
        Assert.Equal(-1, AbsSendTime.Write(buffer[..2], 1));
        Assert.InRange(AbsSendTime.ToMicroseconds(AbsSendTime.FromMicroseconds(12_345_678)), 12_345_674, 12_345_682);
    }

    [Fact]
    public void AudioLevelCarriesVoiceBitAndLevel()
    {
        Span<byte> buffer = stackalloc byte[1];
        Assert.Equal(1, AudioLevel.Write(buffer, true, 30));
        Assert.Equal(0x9E, buffer[0]);
        Assert.True(AudioLevel.TryRead(buffer, out var voice, out var level));
        Assert.True(voice);
        Assert.Equal(30, level);
        Assert.True(AudioLevel.TryRead([0x7F], out voice, out level));
        Assert.False(voice);
        Assert.Equal(127, level);
        Assert.False(AudioLevel.TryRead([], out _, out _));
    }

    [Fact]
    public void TransportWideSequenceIsBigEndian()
    {
        Span<byte> buffer = stackalloc byte[2];
        Assert.Equal(2, TransportWideSequence.Write(buffer, 0x1234));
        Assert.Equal(new byte[] { 0x12, 0x34 }, buffer.ToArray());
        Assert.True(TransportWideSequence.TryRead(buffer, out var seq));
        Assert.Equal(0x1234, seq);
        Assert.False(TransportWideSequence.TryRead(buffer[..1], out _));
    }

    [Fact]
    public void SdesValuesCompareWithoutDecoding()
    {
        Span<byte> buffer = stackalloc byte[8];
        var n = SdesExtensionValue.Write(buffer, "hi");
        Assert.Equal(2, n);
        Assert.True(SdesExtensionValue.Matches(buffer[..n], "hi"));
        Assert.False(SdesExtensionValue.Matches(buffer[..n], "h"));
        Assert.False(SdesExtensionValue.Matches(buffer[..n], "ho"));
        Assert.Equal("hi", SdesExtensionValue.ToString(buffer[..n]));
        Assert.Equal(-1, SdesExtensionValue.Write(buffer[..1], "hi"));
    }
}
