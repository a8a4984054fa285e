using System.Collections.Concurrent;

namespace Sfu.Streams.Recovery;

/// <summary>
/// Drops a share of the RTP packets one participant's connections carry in one direction, from a seeded generator
/// so a run can be repeated. Counts what it dropped per SSRC, so a test can compare losses with repairs.
/// </summary>
/// <param name="participantId">Matches the session's CNAME, which is the participant id.</param>
public sealed class ImpairmentRule(string participantId, ImpairmentDirection direction, double dropProbability, int seed)
{
    private readonly Random _random = new(seed);
    private readonly ConcurrentDictionary<uint, long> _dropped = new();
    private long _passed;

    public string ParticipantId { get; } = participantId;
    public ImpairmentDirection Direction { get; } = direction;
    public double DropProbability { get; } = dropProbability;

    public long Passed => Interlocked.Read(ref _passed);
    public long Dropped => _dropped.Values.Sum();
    public long DroppedFor(uint ssrc) => _dropped.GetValueOrDefault(ssrc);

    internal bool ShouldDrop(uint ssrc)
    {
        bool drop;
        lock (_random) drop = _random.NextDouble() < DropProbability;
        if (drop) _dropped.AddOrUpdate(ssrc, 1, (_, n) => n + 1);
        else Interlocked.Increment(ref _passed);
        return drop;
    }
}
