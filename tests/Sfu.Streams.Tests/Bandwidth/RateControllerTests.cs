using Sfu.Streams.Bandwidth;

namespace Sfu.Streams.Tests.Bandwidth;

public class RateControllerTests
{
    [Fact]
    public void Overuse_decreases_to_085_of_acknowledged()
    {
        var aimd = new AimdRateControl(2_000_000, 30_000, 10_000_000);
        Assert.Equal(850_000, aimd.Update(BandwidthUsage.Overusing, 1_000_000, 1_000_000));
        Assert.Equal(RateControlState.Hold, aimd.State);
        Assert.True(aimd.LinkCapacity.HasEstimate);
    }

    [Fact]
    public void Increase_is_multiplicative_far_from_capacity_and_capped_by_acknowledged()
    {
        var aimd = new AimdRateControl(1_000_000, 30_000, 10_000_000);
        aimd.Update(BandwidthUsage.Normal, 1_000_000, 0);
        var after = aimd.Update(BandwidthUsage.Normal, 1_000_000, 1_000_000);
        Assert.InRange(after, 1_080_000, 1_082_500);

        var capped = new AimdRateControl(1_000_000, 30_000, 10_000_000);
        for (var t = 0L; t <= 20_000_000; t += 100_000)
        {
            capped.Update(BandwidthUsage.Normal, 400_000, t);
        }

        Assert.Equal(1_000_000, capped.CurrentBps);
    }

    [Fact]
    public void Increase_near_the_last_capacity_is_additive()
    {
        var aimd = new AimdRateControl(1_000_000, 30_000, 10_000_000) { RttMicros = 100_000 };
        aimd.Update(BandwidthUsage.Overusing, 1_000_000, 0);
        aimd.Update(BandwidthUsage.Normal, 850_000, 100_000);
        var start = aimd.CurrentBps;
        aimd.Update(BandwidthUsage.Normal, 850_000, 1_100_000);
        // About one 30 fps packet (850 kbps / 30 / 3 packets ≈ 9.4 kbit) per 200 ms response time: ~47 kbps in 1 s.
        Assert.InRange(aimd.CurrentBps - start, 30_000, 60_000);
    }

    [Fact]
    public void Underuse_holds()
    {
        var aimd = new AimdRateControl(1_000_000, 30_000, 10_000_000);
        aimd.Update(BandwidthUsage.Underusing, 1_000_000, 0);
        Assert.Equal(1_000_000, aimd.Update(BandwidthUsage.Underusing, 1_000_000, 1_000_000));
        Assert.Equal(RateControlState.Hold, aimd.State);
    }

    [Theory]
    [InlineData(0.20, 900_000)]
    [InlineData(0.05, 1_000_000)]
    [InlineData(0.00, 1_081_000)]
    public void Loss_based_rules(double loss, long expected)
    {
        var controller = new LossBasedController(1_000_000, 30_000, 10_000_000);
        controller.OnPackets(100, 0, 0, long.MaxValue);
        controller.SetEstimate(1_000_000);
        Assert.True(controller.OnPackets(100, (int)(loss * 100), 1_000_000, long.MaxValue));
        Assert.Equal(expected, controller.CurrentBps);
        Assert.Equal(loss, controller.LossRatio, 3);
    }

    [Fact]
    public void Loss_based_decreases_at_most_once_per_300_ms_plus_rtt_and_waits_for_20_packets()
    {
        var controller = new LossBasedController(1_000_000, 30_000, 10_000_000) { RttMicros = 100_000 };
        Assert.False(controller.OnPackets(10, 5, 0, long.MaxValue));
        Assert.True(controller.OnPackets(10, 5, 0, long.MaxValue));
        Assert.Equal(750_000, controller.CurrentBps);
        controller.OnPackets(20, 10, 200_000, long.MaxValue);
        Assert.Equal(750_000, controller.CurrentBps);
        controller.OnPackets(20, 10, 400_000, long.MaxValue);
        Assert.Equal(562_500, controller.CurrentBps);
    }
    [Theory]
    [InlineData(0.88, 3_000_000, 300_000, 300_000)]
    [InlineData(0.20, 1_000_000, 950_000, 900_000)]
    [InlineData(0.05, 1_000_000, 300_000, 1_000_000)]
    [InlineData(0.88, 3_000_000, 0, 1_680_000)]
    // An unlucky batch of random loss (15 %) is a plain step, not a drop to the acknowledged rate.
    [InlineData(0.15, 2_000_000, 1_400_000, 1_850_000)]
    [InlineData(0.25, 2_000_000, 1_400_000, 1_400_000)]
    public void High_loss_decreases_at_least_to_the_acknowledged_rate(double loss, long start, long acknowledged, long expected)
    {
        var controller = new LossBasedController(start, 30_000, 10_000_000);
        Assert.True(controller.OnPackets(100, (int)Math.Round(loss * 100), 1_000_000, long.MaxValue, acknowledged));
        Assert.Equal(expected, controller.CurrentBps);
    }
}
