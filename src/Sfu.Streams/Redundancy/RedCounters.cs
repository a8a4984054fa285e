namespace Sfu.Streams.Redundancy;

/// <summary>What a down-track did with RED packets (RFC 2198); written on the publisher's ingress thread, read through <see cref="Snapshot"/>.</summary>
public sealed class RedCounters
{
    /// <summary>RED packets forwarded as RED to a subscriber that negotiated red.</summary>
    public long Forwarded;
    /// <summary>RED packets reduced to their primary Opus payload for a subscriber without red.</summary>
    public long Stripped;
    /// <summary>RED packets dropped: malformed, empty primary or a primary of another codec.</summary>
    public long Dropped;

    public RedStats Snapshot() => new(Interlocked.Read(ref Forwarded), Interlocked.Read(ref Stripped), Interlocked.Read(ref Dropped));
}

/// <summary>A copy of <see cref="RedCounters"/> at one moment.</summary>
public sealed record RedStats(long Forwarded, long Stripped, long Dropped);
