using Sfu.WebRtc.Rtcp;
using static Sfu.WebRtc.Tests.Rtp.TestBytes;

namespace Sfu.WebRtc.Tests.Rtcp;

public class ReportTests
{
    // pion/rtcp sender_report_test.go, "valid": an SR with one report block. pion's vector says length 7, but
    // its 52 bytes are 13 words (length 12); pion never checks the field. The length is corrected here.
    private static readonly byte[] PionSenderReport = Hex(
        "81 C8 00 0C 902F9E2E DA8BD1FC DDDDA05A AAF4EDD5 00000001 00000002" +
        "BC5E9A40 00000000 000046E1 00000111 09F36432 00024A79");

    [Fact]
    public void ParsesPionSenderReport()
    {
        Assert.True(SenderReport.TryParse(PionSenderReport, out var sr));
        Assert.Equal(0x902F9E2Eu, sr.Ssrc);
        Assert.Equal(0xDA8BD1FCDDDDA05Aul, sr.NtpTimestamp);
        Assert.Equal(0xD1FCDDDDu, sr.CompactNtp);
        Assert.Equal(0xAAF4EDD5u, sr.RtpTimestamp);
        Assert.Equal(1u, sr.PacketCount);
        Assert.Equal(2u, sr.OctetCount);
        Assert.Equal(1, sr.ReportBlocks.Count);
        Assert.Equal(new ReportBlock(0xBC5E9A40, 0, 0, 0x46E1, 273, 0x9F36432, 150137), sr.ReportBlocks[0]);
        Assert.True(sr.ProfileExtensions.IsEmpty);
    }

    [Fact]
    public void SenderReportWriterReproducesPionBytes()
    {
        var buffer = new byte[PionSenderReport.Length];
        var n = SenderReport.Write(
            buffer, 0x902F9E2E, 0xDA8BD1FCDDDDA05A, 0xAAF4EDD5, 1, 2,
            [new ReportBlock(0xBC5E9A40, 0, 0, 0x46E1, 273, 0x9F36432, 150137)]);
        Assert.Equal(PionSenderReport.Length, n);
        Assert.Equal(PionSenderReport, buffer);
        Assert.Equal(-1, SenderReport.Write(buffer.AsSpan(0, n - 1), 1, 2, 3, 4, 5, [default]));
    }

    [Fact]
    public void ChromeSenderReportFollowedBySdes()
    {
        // pion/rtcp sender_report_test.go, "with extension" (pion issue #447): pion read the 28 bytes after the
        // sender info as a profile extension, but the SR's length (6) ends there; they are Chrome's SDES packet.
        var data = Hex(
            "80 C8 00 06 2B7EC0C5 E020A2A9 52A53FC0 2E48A552 00000046 0000121D" +
            "81CA0006 2B7EC0C5 01104C63 49667A58 6F6E446F 72645365 57360000");
        var reader = new RtcpCompoundReader(data);
        Assert.True(reader.TryNext(out var header, out var packet));
        Assert.Equal(RtcpPacketType.SR, header.PacketType);
        Assert.True(SenderReport.TryParse(packet, out var sr));
        Assert.Equal(0, sr.ReportBlocks.Count);
        Assert.Equal(0x2B7EC0C5u, sr.Ssrc);
        Assert.Equal(70u, sr.PacketCount);
        Assert.Equal(4637u, sr.OctetCount);
        Assert.True(sr.ProfileExtensions.IsEmpty);
        Assert.True(reader.TryNext(out header, out packet));
        Assert.Equal(RtcpPacketType.SDES, header.PacketType);
        Assert.True(Sdes.TryParse(packet, out _));
        Assert.False(reader.TryNext(out _, out _));
        Assert.False(reader.Malformed);
    }

    [Fact]
    public void SenderReportKeepsProfileExtensionWithinItsLength()
    {
        var data = Hex("80 C8 00 07 00000001 00000000 00000002 00000003 00000004 00000005 CAFEBABE");
        Assert.True(SenderReport.TryParse(data, out var sr));
        Assert.Equal(Hex("CAFEBABE"), sr.ProfileExtensions.ToArray());
    }

    [Fact]
    public void RejectsReportCountBeyondPacket()
    {
        var data = (byte[])PionSenderReport.Clone();
        data[0] = 0x82; // RC=2 with one block present
        Assert.False(SenderReport.TryParse(data, out _));
        data[0] = 0x81;
        data[1] = RtcpPacketType.RR;
        Assert.False(SenderReport.TryParse(data, out _));
    }

    [Fact]
    public void ReceiverReportRoundTripsWithSignedLoss()
    {
        ReportBlock[] blocks =
        [
            new(1, 255, -5, 0x0001_FFFF, 10, 20, 30),
            new(2, 0, ReportBlock.MaxCumulativeLost, uint.MaxValue, uint.MaxValue, 0, uint.MaxValue),
            new(3, 1, ReportBlock.MinCumulativeLost, 0, 0, 0, 0),
        ];
        var buffer = new byte[ReceiverReport.GetLength(blocks.Length)];
        Assert.Equal(buffer.Length, ReceiverReport.Write(buffer, 0xABCDEF01, blocks));
        Assert.True(ReceiverReport.TryParse(buffer, out var rr));
        Assert.Equal(0xABCDEF01u, rr.Ssrc);
        var parsed = new List<ReportBlock>();
        foreach (var block in rr.ReportBlocks)
        {
            parsed.Add(block);
        }

        Assert.Equal(blocks, parsed);
    }

    [Fact]
    public void CumulativeLostIsClampedToTwentyFourBits()
    {
        var buffer = new byte[24];
        new ReportBlock(1, 0, 10_000_000, 0, 0, 0, 0).Write(buffer);
        Assert.True(ReportBlock.TryParse(buffer, out var block));
        Assert.Equal(ReportBlock.MaxCumulativeLost, block.CumulativeLost);
        new ReportBlock(1, 0, -10_000_000, 0, 0, 0, 0).Write(buffer);
        Assert.True(ReportBlock.TryParse(buffer, out block));
        Assert.Equal(ReportBlock.MinCumulativeLost, block.CumulativeLost);
        Assert.Equal(Hex("800000"), buffer[5..8]);
    }

    [Fact]
    public void EmptyReceiverReport()
    {
        var buffer = new byte[8];
        Assert.Equal(8, ReceiverReport.Write(buffer, 7));
        Assert.Equal(Hex("80 C9 00 01 00 00 00 07"), buffer);
        Assert.True(ReceiverReport.TryParse(buffer, out var rr));
        Assert.Equal(0, rr.ReportBlocks.Count);
    }
}
