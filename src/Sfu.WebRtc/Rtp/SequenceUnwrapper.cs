namespace Sfu.WebRtc.Rtp;

/// <summary>
/// Extends 16-bit RTP sequence numbers to 64 bits (RFC 3550 §A.1 counts cycles; this does the same by
/// always choosing the value nearest to the last one). The first value is returned as is; a reordered packet from
/// before a wrap gets a smaller (possibly negative) number; the low 16 bits always equal the input.
/// </summary>
public struct SequenceUnwrapper
{
    private long _last;
    private bool _started;

    public readonly bool IsStarted => _started;

    /// <summary>The last value returned by <see cref="Unwrap"/>.</summary>
    public readonly long Last => _last;

    public long Unwrap(ushort sequenceNumber)
    {
        _last = Peek(sequenceNumber);
        _started = true;
        return _last;
    }

    /// <summary>What <see cref="Unwrap"/> would return, without moving the reference point.</summary>
    public readonly long Peek(ushort sequenceNumber)
    {
        if (!_started)
        {
            return sequenceNumber;
        }

        var delta = (ushort)(sequenceNumber - (ushort)_last);
        // Exactly half the space away is ambiguous; call it newer, as libwebrtc's IsNewerSequenceNumber does.
        return delta <= 0x8000 ? _last + delta : _last + delta - 0x10000;
    }
}
