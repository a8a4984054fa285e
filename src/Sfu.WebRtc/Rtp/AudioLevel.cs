namespace Sfu.WebRtc.Rtp;

/// <summary>
/// ssrc-audio-level extension value (RFC 6464 §3): one byte, V (voice activity) bit then the level
/// as 0..127 -dBov (0 loudest, 127 silence).
/// </summary>
public static class AudioLevel
{
    public const int Length = 1;

    /// <remarks>Some senders pad the value to more bytes in the two-byte form; only the first one matters.</remarks>
    public static bool TryRead(ReadOnlySpan<byte> value, out bool voiceActivity, out byte level)
    {
        if (value.IsEmpty)
        {
            voiceActivity = false;
            level = 0;
            return false;
        }

        voiceActivity = (value[0] & 0x80) != 0;
        level = (byte)(value[0] & 0x7F);
        return true;
    }

    public static int Write(Span<byte> dest, bool voiceActivity, byte level)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, (byte)127);
        if (dest.IsEmpty)
        {
            return -1;
        }

        dest[0] = (byte)((voiceActivity ? 0x80 : 0) | level);
        return Length;
    }
}
