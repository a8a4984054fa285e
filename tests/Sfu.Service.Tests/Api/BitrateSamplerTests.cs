using Sfu.Actors.Rooms;
using Sfu.Web.Api;

namespace Sfu.Service.Tests.Api;

public sealed class BitrateSamplerTests
{
    private static RoomStats Stats(long publishedBytes, long subscribedBytes, double reported = 0) => new("room",
    [
        new ParticipantStats("p1", "Alice",
            [Track("t1", publishedBytes, reported)],
            [Track("t2", subscribedBytes, 0)], null, null),
    ]);

    private static TrackStats Track(string id, long bytes, double bps) =>
        new(id, "video", "camera", "VP8", null, bytes / 1000, bytes, bps, 0, 0, 0, null, 0, 0, 0, null);

    private static double Published(RoomStats s) => s.Participants[0].Published[0].BitrateBps;
    private static double Subscribed(RoomStats s) => s.Participants[0].Subscribed[0].BitrateBps;

    [Fact]
    public void The_first_sample_reports_zero_and_the_next_the_rate_between()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var sampler = new BitrateSampler(time);
        var first = sampler.Apply(Stats(10_000, 0));
        Assert.Equal(0, Published(first));

        time.Advance(TimeSpan.FromSeconds(2));
        var second = sampler.Apply(Stats(260_000, 50_000));
        Assert.Equal(1_000_000, Published(second), 3);
        Assert.Equal(200_000, Subscribed(second), 3);
    }

    [Fact]
    public void Requests_closer_than_the_minimum_interval_repeat_the_last_rate()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var sampler = new BitrateSampler(time);
        sampler.Apply(Stats(0, 0));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(80_000, Published(sampler.Apply(Stats(10_000, 0))), 3);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(80_000, Published(sampler.Apply(Stats(10_500, 0))), 3);
        time.Advance(BitrateSampler.MinInterval);
        Assert.Equal(8 * 500 / (BitrateSampler.MinInterval.TotalSeconds + 0.01), Published(sampler.Apply(Stats(10_500, 0))), 3);
    }

    [Fact]
    public void A_reported_rate_is_kept_and_a_counter_reset_starts_over()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var sampler = new BitrateSampler(time);
        Assert.Equal(1234, Published(sampler.Apply(Stats(100, 0, reported: 1234))));

        sampler = new BitrateSampler(time);
        sampler.Apply(Stats(0, 100_000));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, Subscribed(sampler.Apply(Stats(0, 10))));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(8 * 990, Subscribed(sampler.Apply(Stats(0, 1000))), 3);
    }

    [Fact]
    public void Samples_nobody_asks_for_expire()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var sampler = new BitrateSampler(time);
        sampler.Apply(Stats(1, 1));
        Assert.Equal(2, sampler.Tracked);
        time.Advance(BitrateSampler.Expiry + TimeSpan.FromSeconds(1));
        sampler.Apply(new RoomStats("other", []));
        Assert.Equal(0, sampler.Tracked);
    }
}
