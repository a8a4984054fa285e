using Sfu.Streams.Bandwidth;

namespace Sfu.Streams.Tests.Bandwidth;

public class DelayDetectionTests
{
    [Theory]
    [InlineData(0, BandwidthUsage.Normal)]
    [InlineData(1_000, BandwidthUsage.Overusing)]
    [InlineData(-1_000, BandwidthUsage.Underusing)]
    public void Growing_delay_is_overuse_and_shrinking_delay_underuse(long extraDelayPerPacket, BandwidthUsage expected)
    {
        var groups = new PacketGroupDelta();
        var trend = new TrendlineEstimator();
        var detector = new OveruseDetector();
        long send = 0, arrival = 1_000_000;
        var states = new List<BandwidthUsage>();
        for (var i = 0; i < 100; i++)
        {
            send += 10_000;
            arrival += 10_000 + extraDelayPerPacket;
            if (groups.Add(send, arrival, 1200, out var delta))
            {
                states.Add(detector.Detect(trend.Update(delta), delta.SendDeltaMicros, trend.DeltaCount, delta.ArrivalMicros));
            }
        }

        Assert.Equal(expected, states[^1]);
        Assert.InRange(detector.ThresholdMs, 6, 600);
    }

    [Fact]
    public void Packets_sent_within_5_ms_form_one_group()
    {
        var groups = new PacketGroupDelta();
        var produced = new List<GroupDelta>();
        // Three bursts of 4 packets 1 ms apart, bursts 20 ms apart, arrivals spread by a 2 ms queue per packet.
        for (var burst = 0; burst < 3; burst++)
        {
            for (var k = 0; k < 4; k++)
            {
                var send = burst * 20_000L + k * 1_000;
                if (groups.Add(send, send + 50_000 + k * 2_000, 1000, out var delta))
                {
                    produced.Add(delta);
                }
            }
        }

        groups.Add(100_000, 150_000, 1000, out var last);
        produced.Add(last);
        Assert.Equal(2, produced.Count);
        Assert.All(produced, d => Assert.Equal(20_000, d.SendDeltaMicros));
        Assert.All(produced, d => Assert.Equal(20_000, d.ArrivalDeltaMicros));
        Assert.All(produced, d => Assert.Equal(4000, d.Size));
    }

    [Fact]
    public void Reordered_packets_from_an_earlier_group_are_skipped()
    {
        var groups = new PacketGroupDelta();
        Assert.False(groups.Add(0, 1_000, 100, out _));
        Assert.False(groups.Add(10_000, 11_000, 100, out _));
        Assert.False(groups.Add(2_000, 12_000, 100, out _));
        Assert.True(groups.Add(20_000, 21_000, 100, out var delta));
        Assert.Equal(10_000, delta.SendDeltaMicros);
        Assert.Equal(100, delta.Size);
    }

    [Fact]
    public void Threshold_adapts_toward_a_moderate_trend_and_ignores_spikes()
    {
        var detector = new OveruseDetector();
        for (var t = 0; t < 200; t++)
        {
            // modified trend = 60 × slope × 4 = 24 ms: above 12.5 but within the 15 ms adaptation band.
            detector.Detect(0.1, 5_000, 100, t * 5_000L);
        }

        Assert.InRange(detector.ThresholdMs, 20, 24.01);

        var before = detector.ThresholdMs;
        detector.Detect(10, 5_000, 100, 1_005_000);
        Assert.Equal(before, detector.ThresholdMs);
    }
}
