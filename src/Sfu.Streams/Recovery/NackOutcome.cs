namespace Sfu.Streams.Recovery;

/// <summary>What one received packet meant to a <see cref="NackGenerator"/>.</summary>
public enum NackOutcome
{
    /// <summary>The next packet in order (or the first one).</summary>
    InOrder,
    /// <summary>A newer packet after a gap: the packets in between are now missing.</summary>
    Gap,
    /// <summary>A packet that was missing arrived (reordered, or repaired by a retransmission).</summary>
    Recovered,
    /// <summary>An older packet that was not missing: a duplicate, or one given up on already.</summary>
    Old,
    /// <summary>A jump too large to repair: the missing list was dropped and a keyframe is due.</summary>
    Reset,
}
