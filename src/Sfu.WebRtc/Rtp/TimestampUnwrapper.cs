namespace Sfu.WebRtc.Rtp;

/// <summary>
/// Extends 32-bit RTP timestamps to 64 bits by choosing the value nearest to the last one; the first value
/// is returned as is and the low 32 bits always equal the input.
/// </summary>
public struct TimestampUnwrapper
{
    private long _last;
    private bool _started;

    public readonly bool IsStarted => _started;

    public readonly long Last => _last;

    public long Unwrap(uint timestamp)
    {
        _last = Peek(timestamp);
        _started = true;
        return _last;
    }

    public readonly long Peek(uint timestamp)
    {
        if (!_started)
        {
            return timestamp;
        }

        var delta = timestamp - (uint)_last;
        return delta <= 0x8000_0000u ? _last + delta : _last + delta - 0x1_0000_0000L;
    }
}
