using Sfu.Actors.Rooms;
using Sfu.Web.Metrics;

namespace Sfu.Service.Tests.Operations;

public class MediaQualityTests
{
    private static TrackStats Track(long packets, long lost, double fractionLost, double jitterMs) =>
        new("T", "video", "camera", "VP8", null, packets, packets * 1000, 0, lost, fractionLost, jitterMs, null, 0, 0, 0, null);

    private static ParticipantStats Participant(IReadOnlyList<TrackStats> published, IReadOnlyList<TrackStats> subscribed) =>
        new("P", "n", published, subscribed, null, null);

    [Fact]
    public void No_rooms_is_all_zero()
    {
        Assert.Equal(MediaQuality.None, MediaQuality.From([]));
    }

    [Fact]
    public void Publish_loss_is_cumulative_over_tracks_and_subscribe_values_are_means()
    {
        var rooms = new[]
        {
            new RoomStats("r1", [Participant([Track(900, 100, 0, 2)], [Track(0, 0, 0.10, 4)])]),
            new RoomStats("r2", [Participant([Track(2990, 10, 0, 6)], [Track(0, 0, 0.30, 8), Track(0, 0, 0.20, 0)])]),
        };

        var q = MediaQuality.From(rooms);

        Assert.Equal(110.0 / 4000, q.PublishLossRate, 9);
        Assert.Equal(4.0, q.PublishJitterMs, 9);
        Assert.Equal(0.20, q.SubscribeLossRate, 9);
        Assert.Equal(4.0, q.SubscribeJitterMs, 9);
    }
}
