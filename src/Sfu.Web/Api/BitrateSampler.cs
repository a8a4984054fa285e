using System.Collections.Concurrent;
using Sfu.Actors.Rooms;

namespace Sfu.Web.Api;

/// <summary>
/// Fills in track bitrates the participants report as 0 (they count bytes, not rates): bits sent or received
/// between the previous stats request and this one. The first request for a track reports 0; requests closer
/// together than <see cref="MinInterval"/> repeat the last rate rather than divide by a tiny interval.
/// </summary>
public sealed class BitrateSampler(TimeProvider time)
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(250);
    /// <summary>Samples of tracks nobody asked about for this long are dropped.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(10);

    private readonly record struct Sample(long Bytes, long Timestamp, double Bps);

    private readonly ConcurrentDictionary<string, Sample> _samples = new(StringComparer.Ordinal);

    public int Tracked => _samples.Count;

    public RoomStats Apply(RoomStats stats)
    {
        var now = time.GetTimestamp();
        var result = stats with
        {
            Participants = stats.Participants.Select(p => p with
            {
                Published = p.Published.Select(t => Rate($"{stats.RoomId}/{p.ParticipantId}/in/{t.TrackId}", t, now)).ToList(),
                Subscribed = p.Subscribed.Select(t => Rate($"{stats.RoomId}/{p.ParticipantId}/out/{t.TrackId}", t, now)).ToList(),
            }).ToList(),
        };
        foreach (var (key, sample) in _samples)
            if (time.GetElapsedTime(sample.Timestamp, now) > Expiry) _samples.TryRemove(key, out _);
        return result;
    }

    private TrackStats Rate(string key, TrackStats track, long now)
    {
        if (track.BitrateBps > 0) return track;
        if (!_samples.TryGetValue(key, out var previous) || track.Bytes < previous.Bytes)
        {
            _samples[key] = new Sample(track.Bytes, now, 0);
            return track;
        }
        var elapsed = time.GetElapsedTime(previous.Timestamp, now);
        if (elapsed < MinInterval) return track with { BitrateBps = previous.Bps };
        var bps = (track.Bytes - previous.Bytes) * 8 / elapsed.TotalSeconds;
        _samples[key] = new Sample(track.Bytes, now, bps);
        return track with { BitrateBps = bps };
    }
}
