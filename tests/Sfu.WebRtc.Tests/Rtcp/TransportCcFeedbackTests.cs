using Sfu.WebRtc.Rtcp;
using static Sfu.WebRtc.Tests.Rtp.TestBytes;

namespace Sfu.WebRtc.Tests.Rtcp;

public class TransportCcFeedbackTests
{
    private static List<TransportCcPacketStatus> Statuses(TransportCcFeedback feedback)
    {
        var list = new List<TransportCcPacketStatus>();
        foreach (var status in feedback)
        {
            list.Add(status);
        }

        return list;
    }

    [Fact]
    public void ParsesWiresharkDecodedCapture()
    {
        // olivermichel/webrtc-analysis test/include/data.h, twcc_pkt1, with Wireshark's decode: base 1, 9 packets,
        // reference time 6197520, one run-length chunk "small delta x 9", deltas 7, 3, 11, 14, 0, 1, 0, 2, 6 ms, 1 padding byte.
        var data = Hex(
            "AF CD 00 07 00000001 DD586EB6 0001 0009 5E9110 00 2009" +
            "1C 0C 2C 38 00 04 00 08 18 01");
        Assert.True(TransportCcFeedback.TryParse(data, out var fb));
        Assert.Equal(1u, fb.SenderSsrc);
        Assert.Equal(0xDD586EB6u, fb.MediaSsrc);
        Assert.Equal(1, fb.BaseSequenceNumber);
        Assert.Equal(9, fb.PacketStatusCount);
        Assert.Equal(6197520, fb.ReferenceTime);
        Assert.Equal(0, fb.FeedbackPacketCount);
        var statuses = Statuses(fb);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (ushort)i), statuses.Select(s => s.SequenceNumber));
        Assert.All(statuses, s => Assert.True(s.Received && s.HasDelta));
        Assert.Equal([28, 12, 44, 56, 0, 4, 0, 8, 24], statuses.Select(s => s.DeltaTicks));
        Assert.Equal(6197520L * 64000 + (28 + 12 + 44 + 56 + 4 + 8 + 24) * 250, statuses[^1].ReceiveTimeMicros);
    }

    [Fact]
    public void ParsesPionExampleWithVectorRunAndLargeDelta()
    {
        // pion/rtcp transport_layer_cc_test.go, TestTransportLayerCC_Unmarshal "example6": a two-bit status vector
        // (5 small, 1 lost, 1 large) then a run-length chunk of 48 "not received", of which only 2 fall within the count.
        var data = Hex(
            "AF CD 00 07 9B74F61F 9371DCBC 853C 0009 63F916 B3 D552 0030" +
            "9B AA 6A AA 7B 0109 01");
        Assert.True(TransportCcFeedback.TryParse(data, out var fb));
        Assert.Equal(34108, fb.BaseSequenceNumber);
        Assert.Equal(9, fb.PacketStatusCount);
        Assert.Equal(6551830, fb.ReferenceTime);
        Assert.Equal(179, fb.FeedbackPacketCount);
        var statuses = Statuses(fb);
        Assert.Equal(9, statuses.Count);
        Assert.Equal(
            [true, true, true, true, true, false, true, false, false],
            statuses.Select(s => s.Received));
        // pion's deltas in microseconds: 38750, 42500, 26500, 42500, 30750, 66250
        Assert.Equal(
            [38750, 42500, 26500, 42500, 30750, 66250],
            statuses.Where(s => s.Received).Select(s => s.DeltaTicks * 250));
        Assert.Equal((ushort)(34108 + 8), statuses[^1].SequenceNumber);
    }

    [Theory]
    // pion "example8": three small deltas announced, one present before the padding byte.
    [InlineData("AF CD 00 05 FA17FA17 43032FA0 0099 0003 3DE802 17 2003 9401")]
    // pion "example9": run of 2 large deltas, two bytes present where four are needed.
    [InlineData("AF CD 00 05 FA17FA17 43032FA0 0099 0002 3DE802 17 4002 9401")]
    // status count 20 but the only chunk covers 14
    [InlineData("8F CD 00 05 FA17FA17 43032FA0 0099 0014 3DE802 17 8000 0000")]
    // header too short for the fixed fields
    [InlineData("8F CD 00 03 FA17FA17 43032FA0 0099 0001")]
    public void RejectsFeedbackWithMissingChunksOrDeltas(string hex)
    {
        Assert.False(TransportCcFeedback.TryParse(Hex(hex), out _));
    }

    [Fact]
    public void EmptyFeedbackFromPionParses()
    {
        // pion "example7": status count 0, no chunks.
        Assert.True(TransportCcFeedback.TryParse(Hex("8F CD 00 04 9ACB0442 00000000 00000000 00000000"), out var fb));
        Assert.Empty(Statuses(fb));
    }

    [Fact]
    public void StatusElevenIsReceivedWithoutDelta()
    {
        // draft §3.1.3 example 2: run length chunk 0x6018 = symbol 11 x 24.
        Assert.True(TransportCcFeedback.TryParse(Hex("8F CD 00 05 00000001 00000002 0010 0018 000001 00 6018 0000"), out var fb));
        var statuses = Statuses(fb);
        Assert.Equal(24, statuses.Count);
        Assert.All(statuses, s => Assert.True(s.Received && !s.HasDelta));
    }

    [Fact]
    public void WriterReproducesPionSingleRunExample()
    {
        // pion TestTransportLayerCC_Marshal "example1": one packet 37 ms after reference time 4057090.
        var buffer = new byte[64];
        var n = TransportCcFeedback.Write(
            buffer, 4195875351, 1124282272, 23, [new TransportCcArrival(153, 4057090L * 64000 + 37000)]);
        Assert.Equal(Hex("AF CD 00 05 FA17FA17 43032FA0 0099 0001 3DE802 17 2001 94 01"), buffer[..n]);
    }

    [Fact]
    public void WriterReproducesPionSevenPacketExample()
    {
        // pion TestTransportLayerCC_Marshal "example4": seven packets, deltas 19, 9, 9, 4, 3, 3, 4 ms.
        var time = 1074030L * 64000;
        var arrivals = new[] { 19000, 9000, 9000, 4000, 3000, 3000, 4000 }
            .Select((d, i) => new TransportCcArrival((ushort)(4 + i), time += d))
            .ToArray();
        var buffer = new byte[64];
        var n = TransportCcFeedback.Write(buffer, 4195875351, 423483579, 1, arrivals);
        Assert.Equal(Hex("AF CD 00 07 FA17FA17 193DD8BB 0004 0007 10636E 01 2007 4C 24 24 10 0C 0C 10 00 00 03"), buffer[..n]);
    }

    [Fact]
    public void WriterEncodesLossLargeAndNegativeDeltasAndWrap()
    {
        var t0 = 10_000_000L;
        TransportCcArrival[] arrivals =
        [
            new(65533, t0),
            new(65534, t0 + 1000),
            new(1, t0 + 100_000), // 65535 and 0 lost; 99 ms does not fit one byte
            new(2, t0 + 90_000), // arrived before the previous one: negative delta
            new(40, t0 + 95_000),
        ];
        var buffer = new byte[200];
        var n = TransportCcFeedback.Write(buffer, 1, 2, 3, arrivals);
        Assert.True(n > 0);
        Assert.Equal(0, n % 4);
        Assert.True(TransportCcFeedback.TryParse(buffer.AsSpan(0, n), out var fb));
        Assert.Equal(65533, fb.BaseSequenceNumber);
        Assert.Equal(44, fb.PacketStatusCount);
        var statuses = Statuses(fb);
        var received = statuses.Where(s => s.Received).ToList();
        Assert.Equal(arrivals.Select(a => a.SequenceNumber), received.Select(s => s.SequenceNumber));
        foreach (var (status, arrival) in received.Zip(arrivals))
        {
            Assert.InRange(status.ReceiveTimeMicros, arrival.ArrivalMicros - 125, arrival.ArrivalMicros + 125);
        }

        Assert.True(received[3].DeltaTicks < 0);
        Assert.Equal(44 - 5, statuses.Count(s => !s.Received));
    }

    [Fact]
    public void WriterSplitsWhenDestinationOrDeltaRangeRunsOut()
    {
        var arrivals = Enumerable.Range(0, 100).Select(i => new TransportCcArrival((ushort)i, 1_000_000 + i * 1000L)).ToArray();
        var small = new byte[40];
        var n = TransportCcFeedback.Write(small, 1, 2, 0, arrivals, out var consumed);
        Assert.InRange(n, 20, 40);
        Assert.InRange(consumed, 1, 99);
        Assert.True(TransportCcFeedback.TryParse(small.AsSpan(0, n), out var fb));
        Assert.Equal(consumed, fb.PacketStatusCount);
        Assert.Equal(-1, TransportCcFeedback.Write(small, 1, 2, 0, arrivals));
        Assert.Equal(-1, TransportCcFeedback.Write(new byte[20], 1, 2, 0, arrivals, out consumed));
        Assert.Equal(0, consumed);

        // 10 s between two packets exceeds a 16-bit delta (8.19 s): the second needs a new feedback packet.
        TransportCcArrival[] gap = [new(1, 0), new(2, 10_000_000)];
        n = TransportCcFeedback.Write(new byte[100], 1, 2, 0, gap, out consumed);
        Assert.True(n > 0);
        Assert.Equal(1, consumed);
    }

    [Fact]
    public void WriterRejectsUnorderedInput()
    {
        Assert.Throws<ArgumentException>(() =>
            TransportCcFeedback.Write(new byte[100], 1, 2, 0, [new(5, 0), new(4, 1000)]));
        Assert.Throws<ArgumentException>(() =>
            TransportCcFeedback.Write(new byte[100], 1, 2, 0, [new(5, 0), new(5, 1000)]));
    }

    [Fact]
    public void RandomizedWriteParseRoundTrip()
    {
        var random = new Random(8888);
        var buffer = new byte[4096];
        for (var round = 0; round < 500; round++)
        {
            var count = random.Next(1, 300);
            var arrivals = new TransportCcArrival[count];
            ushort seq = (ushort)random.Next(65536);
            long time = random.NextInt64(0, 1L << 40);
            for (var i = 0; i < count; i++)
            {
                seq += (ushort)(i == 0 ? 0 : random.Next(10) == 0 ? random.Next(2, 40) : 1);
                time += random.Next(10) == 0 ? random.Next(-20_000, 200_000) : random.Next(0, 5000);
                arrivals[i] = new TransportCcArrival(seq, time);
            }

            var n = TransportCcFeedback.Write(buffer, 7, 8, (byte)round, arrivals, out var consumed);
            Assert.True(n > 0);
            Assert.True(TransportCcFeedback.TryParse(buffer.AsSpan(0, n), out var fb));
            Assert.Equal((byte)round, fb.FeedbackPacketCount);
            var received = Statuses(fb).Where(s => s.Received).ToList();
            Assert.Equal(consumed, received.Count);
            for (var i = 0; i < consumed; i++)
            {
                Assert.Equal(arrivals[i].SequenceNumber, received[i].SequenceNumber);
                // Reference time is 24 bits on the wire, so compare offsets from it rather than absolute times.
                var sent = arrivals[i].ArrivalMicros - arrivals[0].ArrivalMicros / 64000 * 64000;
                Assert.InRange(received[i].ReceiveTimeMicros - fb.ReferenceTimeMicros - sent, -125, 125);
            }
        }
    }
}
