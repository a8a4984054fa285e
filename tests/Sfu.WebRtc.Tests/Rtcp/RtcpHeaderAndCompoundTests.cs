using Sfu.WebRtc.Rtcp;
using static Sfu.WebRtc.Tests.Rtp.TestBytes;

namespace Sfu.WebRtc.Tests.Rtcp;

public class RtcpHeaderAndCompoundTests
{
    [Theory]
    [InlineData("80 C8 00 06", true)] // SR
    [InlineData("81 C9 00 07", true)] // RR
    [InlineData("8F CD 00 05", true)] // RTPFB
    [InlineData("80 DF 00 00", true)] // 223, top of the RFC 5761 range
    [InlineData("80 C0 00 00", true)] // 192
    [InlineData("80 BF 00 00", false)] // 191: RTP PT 63 with marker
    [InlineData("80 E0 00 00", false)] // 224: RTP PT 96 with marker
    [InlineData("80 60 00 01", false)] // RTP PT 96
    [InlineData("40 C8 00 06", false)] // version 1
    [InlineData("80 C8", false)]
    public void DemultiplexesPerRfc5761(string hex, bool expected)
    {
        Assert.Equal(expected, RtcpPacket.IsRtcp(Hex(hex)));
    }

    [Fact]
    public void HeaderRoundTrips()
    {
        var buffer = new byte[4];
        Assert.Equal(4, RtcpHeader.Write(buffer, 15, RtcpPacketType.RTPFB, 32, padding: true));
        Assert.Equal(Hex("AF CD 00 07"), buffer);
        Assert.True(RtcpHeader.TryParse(buffer, out var h));
        Assert.True(h.Padding);
        Assert.Equal(15, h.Count);
        Assert.Equal(RtcpPacketType.RTPFB, h.PacketType);
        Assert.Equal(32, h.LengthBytes);
        Assert.Equal(-1, RtcpHeader.Write(buffer.AsSpan(0, 3), 0, RtcpPacketType.SR, 4));
    }

    private static byte[] Compound()
    {
        var buffer = new byte[200];
        var n = ReceiverReport.Write(buffer, 0x11111111, [new ReportBlock(0x22222222, 10, 5, 1000, 3, 4, 5)]);
        n += Sdes.Write(buffer.AsSpan(n), 0x11111111, "user@example");
        n += PictureLossIndication.Write(buffer.AsSpan(n), 0x11111111, 0x22222222);
        n += Remb.Write(buffer.AsSpan(n), 0x11111111, 1_500_000, [0x22222222, 0x33333333]);
        return buffer[..n];
    }

    [Fact]
    public void IteratesCompoundPacket()
    {
        var compound = Compound();
        var reader = new RtcpCompoundReader(compound);
        var types = new List<(byte, int)>();
        while (reader.TryNext(out var header, out var packet))
        {
            types.Add((header.PacketType, header.Count));
            Assert.Equal(header.LengthBytes, packet.Length);
        }

        Assert.False(reader.Malformed);
        Assert.Equal(
            [(RtcpPacketType.RR, 1), (RtcpPacketType.SDES, 1), (RtcpPacketType.PSFB, 1), (RtcpPacketType.PSFB, 15)],
            types);
    }

    [Fact]
    public void StopsAtTruncatedPacketAfterReportingEarlierOnes()
    {
        var compound = Compound();
        var truncated = compound[..^3];
        var reader = new RtcpCompoundReader(truncated);
        var count = 0;
        while (reader.TryNext(out _, out _))
        {
            count++;
        }

        Assert.Equal(3, count);
        Assert.True(reader.Malformed);
        Assert.False(reader.TryNext(out _, out _));
    }

    [Theory]
    [InlineData("40 C8 00 00")] // bad version
    [InlineData("80 C8 00 01 00 00 00")] // shorter than its length
    [InlineData("A0 C8 00 01 00 00 00 00")] // padding count 0
    [InlineData("A0 C8 00 01 00 00 00 05")] // padding count beyond the packet body
    [InlineData("80")]
    public void RejectsMalformedFirstPacket(string hex)
    {
        var reader = new RtcpCompoundReader(Hex(hex));
        Assert.False(reader.TryNext(out _, out _));
        Assert.True(reader.Malformed);
    }

    [Fact]
    public void EmptyInputIsNotMalformed()
    {
        var reader = new RtcpCompoundReader([]);
        Assert.False(reader.TryNext(out _, out _));
        Assert.False(reader.Malformed);
    }
}
