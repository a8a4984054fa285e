using Sfu.Streams.Bandwidth;
using Sfu.WebRtc.Rtcp;

namespace Sfu.Streams.Tests.Bandwidth;

/// <summary>Per-packet and per-feedback calls must not allocate: a subscriber sends hundreds of packets a second.</summary>
public class AllocationFreeTests
{
    [Fact]
    public void Sequencer_receiver_and_estimator_allocate_nothing_per_packet()
    {
        var sequencer = new TransportWideSequencer();
        var estimator = new SendSideBandwidthEstimator(sequencer);
        var receiver = new ReceiveSideFeedbackBuilder(1);
        var buffer = new byte[1500];
        var results = new PacketFeedback[50];
        long now = 0;

        void Round()
        {
            for (var i = 0; i < results.Length; i++)
            {
                now += 2_000;
                var seq = sequencer.Next(now, 1200, i < 5 ? 0 : -1);
                receiver.OnPacket(seq, now + 30_000);
                results[i] = new PacketFeedback(seq, i % 10 != 0, now + 30_000);
            }

            estimator.OnFeedback(results, now + 60_000);
            while (receiver.HasPending)
            {
                var written = receiver.BuildFeedback(buffer);
                TransportCcFeedback.TryParse(buffer.AsSpan(0, written), out var feedback);
                estimator.OnTransportCcFeedback(feedback, now + 60_000);
            }

            estimator.Probes.TryGetNextProbe(now, out _);
            _ = estimator.State;
        }

        for (var warm = 0; warm < 50; warm++)
        {
            Round();
        }

        // The least of three laps: a per-round allocation shows in all, a one-off by the runtime in one.
        var allocated = long.MaxValue;
        for (var lap = 0; lap < 3; lap++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var round = 0; round < 200; round++)
            {
                Round();
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Remb_estimator_allocates_nothing_per_packet()
    {
        var remb = new RembEstimator();
        for (var i = 0; i < 1000; i++)
        {
            remb.OnPacket(i * 1000L, Sfu.WebRtc.Rtp.AbsSendTime.FromMicroseconds(i * 1000L), 1200);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1000; i < 20_000; i++)
        {
            remb.OnPacket(i * 1000L, Sfu.WebRtc.Rtp.AbsSendTime.FromMicroseconds(i * 1000L), 1200);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
