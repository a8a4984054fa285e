using System.Text;
using Sfu.WebRtc.Rtcp;
using static Sfu.WebRtc.Tests.Rtp.TestBytes;

namespace Sfu.WebRtc.Tests.Rtcp;

public class SdesByeTests
{
    [Fact]
    public void ParsesChromeSdes()
    {
        // The SDES Chrome sent after an SR, captured in pion/rtcp sender_report_test.go ("with extension").
        var data = Hex("81CA0006 2B7EC0C5 01104C63 49667A58 6F6E446F 72645365 57360000");
        Assert.True(Sdes.TryParse(data, out var sdes));
        Assert.Equal(1, sdes.ChunkCount);
        var chunks = 0;
        foreach (var chunk in sdes.Chunks)
        {
            chunks++;
            Assert.Equal(0x2B7EC0C5u, chunk.Ssrc);
            Assert.True(chunk.TryGetCname(out var cname));
            Assert.Equal("LcIfzXonDordSeW6", Encoding.ASCII.GetString(cname));
        }

        Assert.Equal(1, chunks);
    }

    [Fact]
    public void WritesCnameChunksThatParseBack()
    {
        var buffer = new byte[100];
        // "ab": 4 SSRC + 2 item header + 2 text + END = 9, padded to 12.
        var n = Sdes.Write(buffer, 0x10000000, "ab");
        Assert.Equal(Hex("81 CA 00 03 10000000 01 02 61 62 00 00 00 00"), buffer[..n]);

        n = Sdes.Write(buffer, [new SdesCnameChunk(1, "abc"), new SdesCnameChunk(2, "a"), new SdesCnameChunk(3, "")]);
        Assert.True(Sdes.TryParse(buffer.AsSpan(0, n), out var sdes));
        var seen = new List<(uint, string)>();
        foreach (var chunk in sdes.Chunks)
        {
            Assert.True(chunk.TryGetCname(out var cname));
            seen.Add((chunk.Ssrc, Encoding.UTF8.GetString(cname)));
        }

        Assert.Equal([(1u, "abc"), (2u, "a"), (3u, "")], seen);
        Assert.Equal(-1, Sdes.Write(buffer.AsSpan(0, n - 1), [new SdesCnameChunk(1, "abc"), new SdesCnameChunk(2, "a"), new SdesCnameChunk(3, "")]));
    }

    [Theory]
    [InlineData("81 CA 00 02 10000000 01 05 61 62")] // item runs past the packet
    [InlineData("81 CA 00 02 10000000 01 02 61 62")] // no END octet
    [InlineData("82 CA 00 03 10000000 01 02 61 62 00 00 00 00")] // SC=2 with one chunk
    public void RejectsMalformedSdes(string hex)
    {
        Assert.False(Sdes.TryParse(Hex(hex), out _));
    }

    [Fact]
    public void ByeRoundTripsWithAndWithoutReason()
    {
        var buffer = new byte[64];
        var n = Bye.Write(buffer, [0x12345678]);
        Assert.Equal(Hex("81 CB 00 01 12345678"), buffer[..n]);
        Assert.True(Bye.TryParse(buffer.AsSpan(0, n), out var bye));
        Assert.Equal(1, bye.Ssrcs.Count);
        Assert.Equal(0x12345678u, bye.Ssrcs[0]);
        Assert.True(bye.Reason.IsEmpty);

        n = Bye.Write(buffer, [1, 2], "bye"u8);
        Assert.Equal(Hex("82 CB 00 03 00000001 00000002 03 62 79 65"), buffer[..n]);
        Assert.True(Bye.TryParse(buffer.AsSpan(0, n), out bye));
        var ssrcs = new List<uint>();
        foreach (var s in bye.Ssrcs)
        {
            ssrcs.Add(s);
        }

        Assert.Equal([1u, 2u], ssrcs);
        Assert.Equal("bye", Encoding.UTF8.GetString(bye.Reason));
    }

    [Fact]
    public void RejectsByeWithTruncatedReason()
    {
        Assert.False(Bye.TryParse(Hex("81 CB 00 02 12345678 09 62 79 65"), out _));
        Assert.False(Bye.TryParse(Hex("82 CB 00 01 12345678"), out _));
    }
}
