using Sfu.Streams.Bandwidth;
using Sfu.WebRtc.Rtcp;

namespace Sfu.Streams.Tests.Bandwidth;

public class ReceiveSideFeedbackBuilderTests
{
    private const long Base = 5_000_000_123;

    [Fact]
    public void Round_trip_across_the_wrap_with_loss_and_reordering()
    {
        var builder = new ReceiveSideFeedbackBuilder(senderSsrc: 0x11111111);
        // (sequence, arrival offset µs): 65533 is lost, 1 arrives before 0, 3 is lost.
        (ushort Seq, long At)[] packets =
        [
            (65530, 0), (65531, 1_100), (65532, 2_600), (65534, 9_000), (65535, 9_300),
            (1, 12_000), (0, 12_400), (2, 80_000), (4, 80_250),
        ];
        foreach (var (seq, at) in packets)
        {
            builder.OnPacket(seq, Base + at, mediaSsrc: 0x22222222);
        }

        var buffer = new byte[1200];
        var written = builder.BuildFeedback(buffer);
        Assert.True(written > 0);
        Assert.False(builder.HasPending);
        Assert.True(TransportCcFeedback.TryParse(buffer.AsSpan(0, written), out var feedback));
        Assert.Equal(0x11111111u, feedback.SenderSsrc);
        Assert.Equal(0x22222222u, feedback.MediaSsrc);
        Assert.Equal((ushort)65530, feedback.BaseSequenceNumber);
        Assert.Equal(11, feedback.PacketStatusCount);
        Assert.Equal(0, feedback.FeedbackPacketCount);

        var arrivals = packets.ToDictionary(p => p.Seq, p => Base + p.At);
        var referenceWrap = (1L << 24) * TransportCcFeedback.MicrosecondsPerReferenceUnit;
        foreach (var status in feedback)
        {
            Assert.Equal(arrivals.ContainsKey(status.SequenceNumber), status.Received);
            if (status.Received)
            {
                Assert.InRange(status.ReceiveTimeMicros - arrivals[status.SequenceNumber] % referenceWrap, -125, 125);
            }
        }
    }

    [Fact]
    public void Late_and_duplicate_packets_are_counted_not_reported_twice()
    {
        var builder = new ReceiveSideFeedbackBuilder(1);
        builder.OnPacket(10, Base);
        builder.OnPacket(12, Base + 1000);
        builder.OnPacket(12, Base + 1100);
        var buffer = new byte[200];
        Assert.True(builder.BuildFeedback(buffer) > 0);
        builder.OnPacket(11, Base + 2000);
        builder.OnPacket(13, Base + 3000);
        var written = builder.BuildFeedback(buffer);
        Assert.True(TransportCcFeedback.TryParse(buffer.AsSpan(0, written), out var second));
        Assert.Equal((ushort)13, second.BaseSequenceNumber);
        Assert.Equal(1, second.PacketStatusCount);
        Assert.Equal(1, second.FeedbackPacketCount);
        Assert.Equal(1, builder.Late);
        Assert.Equal(1, builder.Duplicates);
        Assert.Equal(0, builder.BuildFeedback(buffer));
    }

    [Fact]
    public void Long_runs_split_over_several_feedbacks_that_cover_each_number_once()
    {
        var builder = new ReceiveSideFeedbackBuilder(1, capacity: 4096);
        var random = new Random(42);
        var received = new Dictionary<ushort, long>();
        var at = Base;
        for (var i = 0; i < 3000; i++)
        {
            var seq = (ushort)(60000 + i);
            // A 9 s stall once (delta beyond 16 bits of 250 µs) forces a split there too.
            at += i == 1500 ? 9_000_000 : random.Next(0, 3000);
            if (random.NextDouble() < 0.1)
            {
                continue;
            }

            builder.OnPacket(seq, at);
            received[seq] = at;
        }

        var seen = new Dictionary<ushort, bool>();
        var buffer = new byte[300];
        var feedbacks = 0;
        while (builder.HasPending)
        {
            var written = builder.BuildFeedback(buffer);
            Assert.True(written > 0);
            Assert.True(TransportCcFeedback.TryParse(buffer.AsSpan(0, written), out var feedback));
            Assert.Equal((byte)feedbacks, feedback.FeedbackPacketCount);
            feedbacks++;
            foreach (var status in feedback)
            {
                Assert.True(seen.TryAdd(status.SequenceNumber, status.Received));
            }
        }

        Assert.True(feedbacks > 10);
        Assert.All(received.Keys, seq => Assert.True(seen[seq]));
        Assert.Equal(received.Count, seen.Count(s => s.Value));
    }

    [Fact]
    public void A_too_small_buffer_is_refused()
    {
        var builder = new ReceiveSideFeedbackBuilder(1);
        builder.OnPacket(1, Base);
        Assert.Equal(-1, builder.BuildFeedback(new byte[10]));
        Assert.True(builder.HasPending);
    }
}

public class FeedbackRobustnessTests
{
    [Fact]
    public void Wild_sequence_numbers_and_clocks_never_throw_and_always_parse()
    {
        var random = new Random(20261124);
        var builder = new ReceiveSideFeedbackBuilder(7, capacity: 1 << 15);
        var sequencer = new TransportWideSequencer();
        var estimator = new SendSideBandwidthEstimator(sequencer);
        var buffer = new byte[1200];
        ushort seq = 0;
        long clock = 0;
        for (var i = 0; i < 20_000; i++)
        {
            sequencer.Next(clock, random.Next(1, 1500));
            seq = random.Next(10) switch
            {
                0 => (ushort)random.Next(65536),
                1 => (ushort)(seq - random.Next(50)),
                _ => (ushort)(seq + 1),
            };
            clock += random.Next(5) == 0 ? random.NextInt64(-20_000_000, 20_000_000) : random.Next(0, 5000);
            builder.OnPacket(seq, clock);
            if (random.Next(50) == 0)
            {
                while (builder.HasPending)
                {
                    var written = builder.BuildFeedback(buffer);
                    Assert.True(written > 0);
                    Assert.True(TransportCcFeedback.TryParse(buffer.AsSpan(0, written), out var feedback));
                    estimator.OnTransportCcFeedback(feedback, clock);
                }
            }
        }

        Assert.InRange(estimator.EstimateBps, estimator.Settings.MinBps, estimator.Settings.MaxBps);
    }
}
