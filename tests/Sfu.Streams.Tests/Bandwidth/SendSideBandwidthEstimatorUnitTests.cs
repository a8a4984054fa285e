using Sfu.Streams.Bandwidth;

namespace Sfu.Streams.Tests.Bandwidth;

public class SendSideBandwidthEstimatorUnitTests
{
    [Fact]
    public void Unknown_and_repeated_feedback_is_ignored()
    {
        var sequencer = new TransportWideSequencer(first: 100);
        var estimator = new SendSideBandwidthEstimator(sequencer);
        for (var i = 0; i < 30; i++)
        {
            sequencer.Next(i * 10_000L, 1200);
        }

        var feedback = Enumerable.Range(100, 30)
            .Select(s => new PacketFeedback((ushort)s, s % 2 == 0, 50_000 + (s - 100) * 10_000L))
            .Append(new PacketFeedback(5000, true, 0))
            .ToArray();
        estimator.OnFeedback(feedback, 400_000);
        Assert.Equal(0.5, estimator.LossRatio);
        Assert.Equal(1, estimator.UnknownPackets);

        // The same report again must not count the losses twice (the loss batch would complete at 20 packets).
        var loss = estimator.LossBasedBps;
        estimator.OnFeedback(feedback, 500_000);
        Assert.Equal(loss, estimator.LossBasedBps);
        Assert.Equal(2, estimator.UnknownPackets);
    }

    [Fact]
    public void Estimate_stays_within_the_configured_limits()
    {
        var settings = new BandwidthEstimatorSettings { StartBps = 1_000_000, MinBps = 200_000, MaxBps = 1_500_000 };
        var sim = new CongestionSimulation(new BottleneckLink(5_000_000, 10_000, 50_000), settings);
        sim.RunUntil(10_000_000);
        Assert.InRange(sim.Estimator.EstimateBps, 1_200_000, 1_500_000);
        Assert.True(sim.MaxEstimate(0, 10_000_000) <= 1_500_000);

        var starved = new CongestionSimulation(new BottleneckLink(100_000, 10_000, 20_000), settings);
        starved.RunUntil(10_000_000);
        Assert.Equal(200_000, starved.Estimator.EstimateBps);
    }

    [Fact]
    public void State_names_what_limits_the_estimate()
    {
        var estimator = new SendSideBandwidthEstimator(new TransportWideSequencer());
        Assert.Equal("normal/hold", estimator.State);
        Assert.Equal(300_000, estimator.EstimateBps);
        Assert.Equal(-1, estimator.RttMicros);
    }
}
