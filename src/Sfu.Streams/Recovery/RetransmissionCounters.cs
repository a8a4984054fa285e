namespace Sfu.Streams.Recovery;

/// <summary>How a down-track answered its subscriber's NACKs; read by stats and metrics through <see cref="Snapshot"/>.</summary>
public sealed class RetransmissionCounters
{
    /// <summary>Sequence numbers the subscriber asked for.</summary>
    public long PacketsRequested;
    /// <summary>Packets sent again (as RTX where negotiated).</summary>
    public long PacketsRetransmitted;
    /// <summary>Requests for packets no longer held, or never received from the publisher.</summary>
    public long NotHeld;
    /// <summary>Requests for a packet resent less than a round trip ago.</summary>
    public long TooSoon;

    public RetransmissionStats Snapshot() => new(
        Interlocked.Read(ref PacketsRequested), Interlocked.Read(ref PacketsRetransmitted),
        Interlocked.Read(ref NotHeld), Interlocked.Read(ref TooSoon));
}

/// <summary>A copy of <see cref="RetransmissionCounters"/> at one moment.</summary>
public sealed record RetransmissionStats(long PacketsRequested, long PacketsRetransmitted, long NotHeld, long TooSoon);
