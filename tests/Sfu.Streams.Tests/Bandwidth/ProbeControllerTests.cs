using Sfu.Streams.Bandwidth;

namespace Sfu.Streams.Tests.Bandwidth;

public class ProbeControllerTests
{
    private static readonly BandwidthEstimatorSettings Settings = new() { StartBps = 300_000, MaxBps = 10_000_000 };

    [Fact]
    public void Starts_with_3x_and_6x_then_probes_further_while_results_reach_70_percent()
    {
        var probes = new ProbeController(Settings);
        Assert.True(probes.TryGetNextProbe(0, out var first));
        Assert.True(probes.TryGetNextProbe(0, out var second));
        Assert.False(probes.TryGetNextProbe(0, out _));
        Assert.Equal(900_000, first.TargetBps);
        Assert.Equal(1_800_000, second.TargetBps);
        Assert.Equal(4_500, second.MinBytes);
        Assert.True(probes.TryGetCluster(second.Id, out var found) && found == second);

        probes.OnEstimate(1_200_000, 100_000);
        Assert.False(probes.TryGetNextProbe(100_000, out _));
        probes.OnEstimate(1_700_000, 200_000);
        Assert.True(probes.TryGetNextProbe(200_000, out var third));
        Assert.Equal(3_400_000, third.TargetBps);

        probes.OnEstimate(2_000_000, 300_000);
        Assert.False(probes.TryGetNextProbe(1_201_000, out _));
        Assert.Equal(ProbeState.Complete, probes.State);
    }

    [Fact]
    public void Periodic_probes_only_when_short_of_what_is_wanted_and_back_off_when_they_find_nothing()
    {
        var probes = new ProbeController(Settings);
        while (probes.TryGetNextProbe(0, out _))
        {
        }

        probes.OnEstimate(1_000_000, 0);
        Assert.False(probes.TryGetNextProbe(2_000_000, out _));
        Assert.Equal(ProbeState.Complete, probes.State);

        probes.DesiredBps = 800_000;
        Assert.False(probes.TryGetNextProbe(6_000_000, out _));

        probes.DesiredBps = 3_000_000;
        Assert.True(probes.TryGetNextProbe(6_000_000, out var periodic));
        Assert.Equal(2_000_000, periodic.TargetBps);
        Assert.False(probes.TryGetNextProbe(7_100_000, out _));
        Assert.Equal(10_000_000, probes.PeriodicIntervalMicros);
        Assert.False(probes.TryGetNextProbe(12_000_000, out _));
        Assert.True(probes.TryGetNextProbe(16_000_000, out _));

        probes.OnEstimate(500_000, 16_100_000);
        Assert.Equal(5_000_000, probes.PeriodicIntervalMicros);
    }

    [Fact]
    public void App_limited_senders_probe_too()
    {
        var probes = new ProbeController(Settings with { PeriodicProbeIntervalMicros = 1_000_000 });
        while (probes.TryGetNextProbe(0, out _))
        {
        }

        probes.OnEstimate(1_000_000, 0);
        Assert.False(probes.TryGetNextProbe(1_500_000, out _));
        probes.AppLimited = true;
        Assert.True(probes.TryGetNextProbe(2_600_000, out var cluster));
        Assert.Equal(2_000_000, cluster.TargetBps);
    }
}
