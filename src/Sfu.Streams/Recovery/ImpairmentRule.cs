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

    /// <summary>
    /// A policer instead of random loss: passes at most <paramref name="bitsPerSecond"/> (token bucket with a
    /// <paramref name="burstBits"/> bucket, like tc tbf's rate and burst) and drops the excess, as a squeezed link would.
    /// </summary>
    public static ImpairmentRule RateLimit(string participantId, ImpairmentDirection direction, long bitsPerSecond, long burstBits = 32_000, TimeProvider? time = null) =>
        new(participantId, direction, 0, 0) { _rateBps = bitsPerSecond, _burstBits = burstBits, _tokens = burstBits, _time = time ?? TimeProvider.System };

    private long _rateBps;
    private long _burstBits;
    private double _tokens;
    private long _lastRefill;
    private TimeProvider _time = TimeProvider.System;

    public long RateLimitBps => _rateBps;

    /// <summary>
    /// A one-way delay instead of loss: every RTP and RTCP datagram from the participant to the server waits
    /// <paramref name="delay"/> in a <see cref="DelayLine"/> before ingress sees it, so each of the participant's
    /// round trips through the server grows by that much (50 ms here is a 50 ms RTT on that leg). Ingress only:
    /// egress datagrams are already SRTP-protected when the impairment stage sees them, and re-entering the egress
    /// queue would protect them twice.
    /// </summary>
    public static ImpairmentRule Latency(string participantId, TimeSpan delay, TimeProvider? time = null) =>
        new(participantId, ImpairmentDirection.Ingress, 0, 0) { DelayLine = new DelayLine(delay, time ?? TimeProvider.System) };

    /// <summary>Where a <see cref="Latency"/> rule holds packets; null for rules that drop.</summary>
    public DelayLine? DelayLine { get; private init; }

    /// <summary>Only these SSRCs are impaired (e.g. a subscriber's RTX stream, to take NACK repair away); null: all.</summary>
    public IReadOnlySet<uint>? Ssrcs { get; init; }

    internal bool ShouldDrop(uint ssrc, int size, bool padded = false)
    {
        // Random loss spares padded packets (bandwidth probes, which carry nothing to repair): the loss tests count
        // drops per SSRC against what NACK and RTX repaired. A rate limit (a policer) takes every byte into account.
        if (padded && _rateBps == 0) return false;
        if (DelayLine is not null) return false;
        if (Ssrcs is { } only && !only.Contains(ssrc)) return false;
        bool drop;
        lock (_random)
        {
            if (_rateBps > 0)
            {
                var now = _time.GetTimestamp();
                if (_lastRefill != 0) _tokens = Math.Min(_burstBits, _tokens + _time.GetElapsedTime(_lastRefill, now).TotalSeconds * _rateBps);
                _lastRefill = now;
                drop = _tokens < size * 8;
                if (!drop) _tokens -= size * 8;
            }
            else drop = _random.NextDouble() < DropProbability;
        }
        if (drop) _dropped.AddOrUpdate(ssrc, 1, (_, n) => n + 1);
        else Interlocked.Increment(ref _passed);
        return drop;
    }
}
