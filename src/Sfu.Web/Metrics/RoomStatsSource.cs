using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Sfu.Actors.Rooms;

namespace Sfu.Web.Metrics;

/// <summary>Asks every room this node hosts for its statistics (in parallel, each bounded by a timeout).</summary>
public sealed class RoomStatsSource(RoomDirectory directory, IServiceProvider services)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<RoomStats>> CollectAsync(CancellationToken ct)
    {
        var rooms = directory.All;
        if (rooms.Count == 0) return [];
        // Resolved at scrape time: the region exists only once the actor system has started.
        var region = services.GetRequiredService<IRequiredActor<RoomRegion>>().ActorRef;
        var asks = rooms.Select(async r =>
        {
            try
            {
                return await region.Ask<object>(new GetRoomStats(r.Id), Timeout, ct) as RoomStats;
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                return null;
            }
        });
        return (await Task.WhenAll(asks)).OfType<RoomStats>().ToList();
    }
}
