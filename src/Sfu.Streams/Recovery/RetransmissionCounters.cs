namespace Sfu.Streams.Recovery;

/// <summary>How a down-track answered its subscriber's NACKs; read by stats and metrics through <see cref="Snapshot"/>.</summary>
public sealed class RetransmissionCounters
{
    /// <summary>Sequence numbers the subscriber asked for.</summary>
    public long PacketsRequested;
    /// <summary>Packets sent again, as RTX or plain (<see cref="RtxRetransmitted"/> of them as RTX).</summary>
    public long PacketsRetransmitted;
    /// <summary>Of <see cref="PacketsRetransmitted"/>: those sent as RTX (RFC 4588) rather than as the same packet again.</summary>
    public long RtxRetransmitted;
    /// <summary>Requests that cannot be answered: the packet is no longer held (older than the buffer) or was never sent.</summary>
    public long NotHeld;
    /// <summary>
    /// Requests for packets the SFU itself is still missing from the publisher: the publisher-leg NACK generator is
    /// already asking for each of them, and the repair is forwarded to every subscriber when it arrives.
    /// </summary>
    public long MissingUpstream;
    /// <summary>Requests for a packet resent less than a round trip ago.</summary>
    public long TooSoon;

    public RetransmissionStats Snapshot() => new(
        Interlocked.Read(ref PacketsRequested), Interlocked.Read(ref PacketsRetransmitted),
        Interlocked.Read(ref NotHeld), Interlocked.Read(ref TooSoon),
        Interlocked.Read(ref RtxRetransmitted), Interlocked.Read(ref MissingUpstream));
}

/// <summary>A copy of <see cref="RetransmissionCounters"/> at one moment.</summary>
public sealed record RetransmissionStats(long PacketsRequested, long PacketsRetransmitted, long NotHeld, long TooSoon,
    long RtxRetransmitted = 0, long MissingUpstream = 0)
{
    public long PlainRetransmitted => PacketsRetransmitted - RtxRetransmitted;
}
