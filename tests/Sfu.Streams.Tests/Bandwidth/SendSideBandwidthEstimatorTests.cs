using Sfu.Streams.Bandwidth;
using Xunit.Abstractions;

namespace Sfu.Streams.Tests.Bandwidth;

public class SendSideBandwidthEstimatorTests(ITestOutputHelper output)
{
    private const long Second = 1_000_000;

    [Fact]
    public void Converges_to_a_1_Mbps_bottleneck_within_5_s()
    {
        var sim = new CongestionSimulation(new BottleneckLink(1_000_000, 25_000, queueLimitBytes: 40_000));
        sim.RunUntil(12 * Second);
        Dump(sim);

        for (var t = 5 * Second; t <= 12 * Second; t += Second / 10)
        {
            var at = sim.Trace.Single(p => p.Micros == t).EstimateBps;
            Assert.InRange(at, 800_000, 1_200_000);
        }
    }

    [Fact]
    public void Random_loss_of_10_percent_lowers_the_estimate()
    {
        var link = new BottleneckLink(2_500_000, 25_000, queueLimitBytes: 60_000, seed: 7);
        var sim = new CongestionSimulation(link);
        sim.RunUntil(8 * Second);
        var before = sim.Estimator.EstimateBps;
        link.LossRate = 0.10;
        sim.RunUntil(16 * Second);
        Dump(sim);

        Assert.InRange(sim.Estimator.LossRatio, 0.03, 0.2);
        Assert.True(sim.Estimator.EstimateBps < before * 0.8, $"{sim.Estimator.EstimateBps} vs {before}");
        Assert.Contains("loss-limited", sim.Estimator.State);
    }

    [Fact]
    public void Follows_a_drop_from_2_5_Mbps_to_300_kbps_and_climbs_back()
    {
        var link = new BottleneckLink(2_500_000, 25_000, queueLimitBytes: 60_000);
        var sim = new CongestionSimulation(link);
        sim.RunUntil(10 * Second);
        Assert.True(sim.Estimator.EstimateBps > 1_800_000, $"before the drop: {sim.Estimator.EstimateBps}");

        link.SetCapacity(300_000, sim.NowMicros);
        sim.RunUntil(20 * Second);
        var below = sim.FirstTime(10 * Second, bps => bps < 360_000);
        Assert.InRange(below, 10 * Second, 13 * Second);
        Assert.True(sim.MaxEstimate(13 * Second, 20 * Second) < 360_000, "stays down while capacity is low");

        link.SetCapacity(2_500_000, sim.NowMicros);
        sim.RunUntil(32 * Second);
        Dump(sim);
        var back = sim.FirstTime(20 * Second, bps => bps >= 1_500_000);
        Assert.InRange(back, 20 * Second, 30 * Second);
        output.WriteLine($"below 360 kbps after {(below - 10 * Second) / 1000} ms; back at 1.5 Mbps after {(back - 20 * Second) / 1000} ms");
    }

    private void Dump(CongestionSimulation sim)
    {
        foreach (var (micros, bps) in sim.Trace.Where(t => t.Micros % (Second / 2) == 0))
        {
            output.WriteLine($"{micros / 1000,6} ms {bps / 1000,6} kbps");
        }

        output.WriteLine($"final {sim.Estimator.Snapshot()} drops={sim.Link.Dropped} probes={sim.ProbePacketsSent}");
    }
}
