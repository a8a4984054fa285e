namespace Sfu.Streams.Jitter;

/// <summary>What a <see cref="JitterBuffer"/> did; written by its one owner, read by stats through <see cref="Snapshot"/>.</summary>
public sealed class JitterBufferCounters
{
    public long PacketsIn;
    /// <summary>Frames released complete and in order.</summary>
    public long FramesReleased;
    /// <summary>Packets that arrived after their frame was released or skipped: discarded.</summary>
    public long PacketsLate;
    public long Duplicates;
    /// <summary>Frames skipped because their packets did not all arrive within the target delay (or the buffer was full).</summary>
    public long FramesSkipped;
    /// <summary>Packets discarded with skipped frames.</summary>
    public long PacketsDropped;
    /// <summary>Released packets dropped because the consumer did not take them (taps never back-pressure forwarding).</summary>
    public long ReadyOverflow;

    public JitterBufferStats Snapshot() => new(
        Interlocked.Read(ref PacketsIn), Interlocked.Read(ref FramesReleased), Interlocked.Read(ref PacketsLate), Interlocked.Read(ref Duplicates),
        Interlocked.Read(ref FramesSkipped), Interlocked.Read(ref PacketsDropped), Interlocked.Read(ref ReadyOverflow));
}

/// <summary>A copy of <see cref="JitterBufferCounters"/> at one moment.</summary>
public sealed record JitterBufferStats(long PacketsIn, long FramesReleased, long PacketsLate, long Duplicates, long FramesSkipped, long PacketsDropped, long ReadyOverflow);
