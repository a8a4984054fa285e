namespace Sfu.Streams.Forwarding;

/// <summary>
/// Maps a source's extended sequence numbers and timestamps onto the continuous numbering one subscriber sees.
/// The subscriber's stream starts where forwarding starts (at a keyframe), so packets dropped before it never
/// show up as gaps that would make the receiver NACK. <see cref="Restart"/> re-anchors on a new source position
/// (a layer switch) keeping the output contiguous.
/// </summary>
public sealed class SequenceRewriter
{
    private long _seqOffset;
    private uint _tsOffset;
    private long _firstSourceSeq = long.MaxValue;
    private long _highestOut = -1;
    private uint _lastOutTimestamp;
    private bool _started;

    public SequenceRewriter(ushort initialSequence, uint initialTimestamp)
    {
        _highestOut = initialSequence - 1L;
        _lastOutTimestamp = initialTimestamp;
    }

    public bool Started => _started;
    public uint LastTimestamp => _lastOutTimestamp;
    public long HighestOutput => _highestOut;

    /// <summary>Anchors at a source packet: it becomes the next output sequence number; its timestamp continues after the last one sent.</summary>
    public void Restart(long sourceSequence, uint sourceTimestamp, uint timestampGap)
    {
        _seqOffset = _highestOut + 1 - sourceSequence;
        _tsOffset = _started ? _lastOutTimestamp + timestampGap - sourceTimestamp : _lastOutTimestamp + 1 - sourceTimestamp;
        _firstSourceSeq = sourceSequence;
        _started = true;
    }

    /// <summary>
    /// Takes the next output sequence number for a packet that has no source (probe padding), shifting later source
    /// packets by one. Call it only after the newest source packet (a frame end): an older source packet arriving
    /// after it would be numbered as if it came later.
    /// </summary>
    public ushort NextPaddingSequence()
    {
        _seqOffset++;
        return (ushort)++_highestOut;
    }

    /// <summary>Rewrites one packet; false for packets older than the anchor (they belong to before this subscriber).</summary>
    public bool TryRewrite(long sourceSequence, uint sourceTimestamp, out ushort sequence, out uint timestamp)
    {
        sequence = 0;
        timestamp = 0;
        if (!_started || sourceSequence < _firstSourceSeq) return false;
        var outSeq = sourceSequence + _seqOffset;
        sequence = (ushort)outSeq;
        timestamp = sourceTimestamp + _tsOffset;
        if (outSeq > _highestOut)
        {
            _highestOut = outSeq;
            _lastOutTimestamp = timestamp;
        }
        return true;
    }
}
