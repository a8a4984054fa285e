using Sfu.WebRtc.Rtp;
using static Sfu.WebRtc.Tests.Rtp.TestBytes;

namespace Sfu.WebRtc.Tests.Rtp;

public class RtpHeaderTests
{
    [Fact]
    public void ParsesFixedHeaderCsrcsExtensionAndPadding()
    {
        var packet = Hex(
            "B2 E0 12 34" + // V=2 P=1 X=1 CC=2, M=1 PT=96, seq 0x1234
            "00 00 00 64" + // timestamp 100
            "DE AD BE EF" + // SSRC
            "00 00 00 01 00 00 00 02" + // CSRCs
            "BE DE 00 01 10 AA 00 00" + // one-byte extension, one word: id 1 = AA, two padding bytes
            "01 02 03" + // payload
            "00 00 03"); // RTP padding, count 3
        Assert.True(RtpHeader.TryParse(packet, out var h));
        Assert.True(h.Padding);
        Assert.True(h.HasExtension);
        Assert.Equal(2, h.CsrcCount);
        Assert.True(h.Marker);
        Assert.Equal(96, h.PayloadType);
        Assert.Equal(0x1234, h.SequenceNumber);
        Assert.Equal(100u, h.Timestamp);
        Assert.Equal(0xDEADBEEFu, h.Ssrc);
        Assert.Equal(0xBEDE, h.ExtensionProfile);
        Assert.Equal(24, h.ExtensionOffset);
        Assert.Equal(4, h.ExtensionLength);
        Assert.Equal(28, h.HeaderLength);
        Assert.Equal(3, h.PayloadLength);
        Assert.Equal(3, h.PaddingLength);
        Assert.Equal(2u, h.GetCsrc(packet, 1));
        Assert.Equal(new byte[] { 1, 2, 3 }, packet.AsSpan(h.PayloadOffset, h.PayloadLength).ToArray());
    }

    [Fact]
    public void MinimalHeaderHasNoExtension()
    {
        var packet = Hex("80 6F 00 01 00 00 00 02 00 00 00 03 FF");
        Assert.True(RtpHeader.TryParse(packet, out var h));
        Assert.False(h.HasExtension);
        Assert.Equal(0, h.ExtensionOffset);
        Assert.Equal(0, h.ExtensionProfile);
        Assert.Equal(12, h.HeaderLength);
        Assert.Equal(1, h.PayloadLength);
        Assert.False(h.Marker);
        Assert.Equal(111, h.PayloadType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("80 60 00 01 00 00 00 02 00 00 00")] // 11 bytes
    [InlineData("40 60 00 01 00 00 00 02 00 00 00 03")] // version 1
    [InlineData("C0 60 00 01 00 00 00 02 00 00 00 03")] // version 3
    [InlineData("81 60 00 01 00 00 00 02 00 00 00 03")] // CC=1 but no CSRC
    [InlineData("90 60 00 01 00 00 00 02 00 00 00 03 BE DE")] // truncated extension header
    [InlineData("90 60 00 01 00 00 00 02 00 00 00 03 BE DE 00 02 10 AA 00 00")] // extension claims 2 words, has 1
    [InlineData("A0 60 00 01 00 00 00 02 00 00 00 03 01 00")] // padding count 0
    [InlineData("A0 60 00 01 00 00 00 02 00 00 00 03 01 04")] // padding count larger than payload + padding
    public void RejectsMalformedPackets(string hex)
    {
        Assert.False(RtpHeader.TryParse(Hex(hex), out _));
    }

    [Fact]
    public void PaddingMayFillTheWholeBody()
    {
        Assert.True(RtpHeader.TryParse(Hex("A0 60 00 01 00 00 00 02 00 00 00 03 00 00 03"), out var h));
        Assert.Equal(0, h.PayloadLength);
        Assert.Equal(3, h.PaddingLength);
    }

    [Fact]
    public void WritersChangeOnlyTheirField()
    {
        var packet = Hex("90 E0 12 34 00 00 00 64 DE AD BE EF BE DE 00 01 10 AA 00 00 01 02");
        var original = (byte[])packet.Clone();
        RtpHeader.WriteSequenceNumber(packet, 0xFFFE);
        RtpHeader.WriteTimestamp(packet, 0x01020304);
        RtpHeader.WriteSsrc(packet, 42);
        RtpHeader.WritePayloadType(packet, 100);
        Assert.True(RtpHeader.TryParse(packet, out var h));
        Assert.Equal(0xFFFE, h.SequenceNumber);
        Assert.Equal(0x01020304u, h.Timestamp);
        Assert.Equal(42u, h.Ssrc);
        Assert.Equal(100, h.PayloadType);
        Assert.True(h.Marker);
        RtpHeader.WriteMarker(packet, false);
        Assert.True(RtpHeader.TryParse(packet, out h));
        Assert.False(h.Marker);
        Assert.Equal(100, h.PayloadType);
        Assert.Equal(original[12..], packet[12..]);
        Assert.Equal(original[0], packet[0]);
    }

    [Fact]
    public void FixedHeaderWriterRoundTrips()
    {
        var buffer = new byte[12];
        Assert.Equal(-1, RtpHeader.WriteFixedHeader(buffer.AsSpan(0, 11), 96, 1, 2, 3));
        Assert.Equal(12, RtpHeader.WriteFixedHeader(buffer, 127, 65535, uint.MaxValue, 7, marker: true));
        Assert.True(RtpHeader.TryParse(buffer, out var h));
        Assert.Equal((127, (ushort)65535, uint.MaxValue, 7u, true), (h.PayloadType, h.SequenceNumber, h.Timestamp, h.Ssrc, h.Marker));
    }
}
