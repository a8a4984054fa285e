using Sfu.WebRtc.Rtcp;
using static Sfu.WebRtc.Tests.Rtp.TestBytes;

namespace Sfu.WebRtc.Tests.Rtcp;

public class FeedbackTests
{
    [Fact]
    public void PictureLossIndicationRoundTrips()
    {
        var buffer = new byte[12];
        Assert.Equal(12, PictureLossIndication.Write(buffer, 0x01020304, 0x05060708));
        Assert.Equal(Hex("81 CE 00 02 01020304 05060708"), buffer);
        Assert.True(PictureLossIndication.TryParse(buffer, out var pli));
        Assert.Equal(new PictureLossIndication(0x01020304, 0x05060708), pli);
        Assert.False(FullIntraRequest.TryParse(buffer, out _));
        Assert.Equal(-1, PictureLossIndication.Write(buffer.AsSpan(0, 11), 1, 2));
    }

    [Fact]
    public void FullIntraRequestRoundTrips()
    {
        var buffer = new byte[40];
        var n = FullIntraRequest.Write(buffer, 0xAAAAAAAA, 0xBBBBBBBB, 7);
        Assert.Equal(Hex("84 CE 00 04 AAAAAAAA 00000000 BBBBBBBB 07 000000"), buffer[..n]);
        n = FullIntraRequest.Write(buffer, 1, [new FirEntry(2, 3), new FirEntry(4, 255)]);
        Assert.True(FullIntraRequest.TryParse(buffer.AsSpan(0, n), out var fir));
        Assert.Equal(1u, fir.SenderSsrc);
        var entries = new List<FirEntry>();
        foreach (var e in fir.Entries)
        {
            entries.Add(e);
        }

        Assert.Equal([new FirEntry(2, 3), new FirEntry(4, 255)], entries);
        Assert.False(FullIntraRequest.TryParse(Hex("84 CE 00 02 AAAAAAAA 00000000"), out _));
    }

    [Fact]
    public void GenericNackPacksPidAndBitmask()
    {
        // 101 and 103 fall in 100's window (bits 0 and 2); 117 is 17 away and opens a second entry.
        ushort[] lost = [100, 101, 103, 117];
        var buffer = new byte[64];
        var n = GenericNack.Write(buffer, 1, 2, lost);
        Assert.Equal(Hex("81 CD 00 04 00000001 00000002 0064 0005 0075 0000"), buffer[..n]);
        Assert.True(GenericNack.TryParse(buffer.AsSpan(0, n), out var nack));
        Assert.Equal(2, nack.EntryCount);
        Assert.Equal(lost, Lost(nack));
    }

    [Fact]
    public void GenericNackAcrossWrapAndFullWindow()
    {
        // 65530's window covers 65531..65535 and 0..10; 11 is 17 past it and needs a second entry.
        ushort[] lost = [65530, 65535, 0, 10];
        var buffer = new byte[64];
        var n = GenericNack.Write(buffer, 1, 2, lost);
        Assert.True(GenericNack.TryParse(buffer.AsSpan(0, n), out var nack));
        Assert.Equal(1, nack.EntryCount);
        Assert.Equal(lost, Lost(nack));
        Assert.Equal(2, GenericNack.GetEntryCount([.. lost, 11]));

        var all = Enumerable.Range(0, 17).Select(i => (ushort)(i + 500)).ToArray();
        n = GenericNack.Write(buffer, 1, 2, all);
        Assert.Equal(Hex("0 1F4 FFFF"), buffer[12..16]);
        Assert.True(GenericNack.TryParse(buffer.AsSpan(0, n), out nack));
        Assert.Equal(all, Lost(nack));
    }

    [Fact]
    public void GenericNackOutOfOrderInputStillReportsEveryNumber()
    {
        ushort[] lost = [300, 5, 301, 5, 6];
        var buffer = new byte[64];
        var n = GenericNack.Write(buffer, 1, 2, lost);
        Assert.Equal(GenericNack.GetLength(lost), n);
        Assert.True(GenericNack.TryParse(buffer.AsSpan(0, n), out var nack));
        Assert.Equal(lost.Distinct().Order(), Lost(nack).Distinct().Order());
    }

    private static ushort[] Lost(GenericNack nack)
    {
        var result = new List<ushort>();
        foreach (var seq in nack.LostSequenceNumbers)
        {
            result.Add(seq);
        }

        return [.. result];
    }

    // pion/rtcp receiver_estimated_maximum_bitrate_test.go: "Real data sent by Chrome while watching a 6Mb/s stream".
    private static readonly byte[] ChromeRemb = [143, 206, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0, 82, 69, 77, 66, 1, 26, 32, 223, 72, 116, 237, 22];

    [Fact]
    public void ParsesChromeRemb()
    {
        Assert.True(Remb.TryParse(ChromeRemb, out var remb));
        Assert.Equal(1u, remb.SenderSsrc);
        Assert.Equal(8_927_168ul, remb.Bitrate); // mantissa 139487 << exponent 6
        Assert.Equal(1, remb.Ssrcs.Count);
        Assert.Equal(1215622422u, remb.Ssrcs[0]);
    }

    [Fact]
    public void RembWriterReproducesChromeBytesAndRoundsDown()
    {
        var buffer = new byte[24];
        Assert.Equal(24, Remb.Write(buffer, 1, 8_927_168, [1215622422]));
        Assert.Equal(ChromeRemb, buffer);

        Remb.Write(buffer, 1, 8_927_167, [1215622422]);
        Assert.True(Remb.TryParse(buffer, out var remb));
        Assert.Equal(8_927_104ul, remb.Bitrate);
    }

    [Theory]
    [InlineData(0ul)]
    [InlineData(262_143ul)]
    [InlineData(262_144ul)]
    [InlineData(1_000_000_000_000ul)]
    [InlineData(ulong.MaxValue)]
    public void RembRoundTripKeepsEighteenSignificantBits(ulong bitrate)
    {
        var buffer = new byte[20];
        Assert.Equal(20, Remb.Write(buffer, 9, bitrate, []));
        Assert.True(Remb.TryParse(buffer, out var remb));
        Assert.True(remb.Bitrate <= bitrate);
        Assert.True(bitrate - remb.Bitrate <= bitrate >> 17, $"{bitrate} -> {remb.Bitrate}");
    }

    [Fact]
    public void RejectsRembThatOverflowsSixtyFourBits()
    {
        // mantissa 0x3FFFF with exponent 63 (pion's overflow test); libwebrtc rejects such values.
        Assert.False(Remb.TryParse([143, 206, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 82, 69, 77, 66, 0, 255, 255, 255], out _));
    }

    [Fact]
    public void RejectsApplicationFeedbackThatIsNotRemb()
    {
        var data = (byte[])ChromeRemb.Clone();
        data[12] = (byte)'X';
        Assert.False(Remb.TryParse(data, out _));
        data = (byte[])ChromeRemb.Clone();
        data[16] = 2; // two SSRCs claimed, one present
        Assert.False(Remb.TryParse(data, out _));
    }
}
