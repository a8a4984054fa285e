using Sfu.Actors.Rooms;

namespace Sfu.Web.Metrics;

/// <summary>
/// Node-wide loss and jitter, from the rooms' own statistics (the same records the REST stats show).
/// Publish side: what the SFU measured on incoming streams (RFC 3550 §6.4.1 / A.8). Subscribe side: what
/// subscribers reported back in their receiver reports.
/// </summary>
public sealed record MediaQuality(double PublishLossRate, double SubscribeLossRate, double PublishJitterMs, double SubscribeJitterMs)
{
    public static readonly MediaQuality None = new(0, 0, 0, 0);

    /// <summary>
    /// Publish loss is cumulative (lost / (received + lost) over every published track); subscribe loss is the mean
    /// of the latest RR fraction lost per subscribed track. Jitter is the mean over tracks. No tracks: all zero.
    /// </summary>
    public static MediaQuality From(IEnumerable<RoomStats> rooms)
    {
        long publishedPackets = 0, publishedLost = 0;
        double publishJitter = 0, subscribeLoss = 0, subscribeJitter = 0;
        int publishedCount = 0, subscribedCount = 0;
        foreach (var participant in rooms.SelectMany(r => r.Participants))
        {
            foreach (var t in participant.Published)
            {
                publishedPackets += t.Packets;
                publishedLost += t.PacketsLost;
                publishJitter += t.JitterMs;
                publishedCount++;
            }
            foreach (var t in participant.Subscribed)
            {
                subscribeLoss += t.FractionLost;
                subscribeJitter += t.JitterMs;
                subscribedCount++;
            }
        }
        var expected = publishedPackets + publishedLost;
        return new MediaQuality(
            expected > 0 ? (double)publishedLost / expected : 0,
            subscribedCount > 0 ? subscribeLoss / subscribedCount : 0,
            publishedCount > 0 ? publishJitter / publishedCount : 0,
            subscribedCount > 0 ? subscribeJitter / subscribedCount : 0);
    }
}
