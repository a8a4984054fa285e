namespace Sfu.WebRtc.Rtp;

/// <summary>
/// abs-send-time extension value (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time):
/// 24 bits, 6.18 fixed-point seconds, so it wraps every 64 s.
/// </summary>
public static class AbsSendTime
{
    public const int Length = 3;

    public static bool TryRead(ReadOnlySpan<byte> value, out uint time24)
    {
        if (value.Length != Length)
        {
            time24 = 0;
            return false;
        }

        time24 = (uint)(value[0] << 16 | value[1] << 8 | value[2]);
        return true;
    }

    public static int Write(Span<byte> dest, uint time24)
    {
        if (dest.Length < Length)
        {
            return -1;
        }

        dest[0] = (byte)(time24 >> 16);
        dest[1] = (byte)(time24 >> 8);
        dest[2] = (byte)time24;
        return Length;
    }

    /// <summary>Encodes a time in microseconds (any epoch) as 6.18 fixed point, modulo 64 s.</summary>
    public static uint FromMicroseconds(long microseconds)
    {
        var wrapped = microseconds % 64_000_000L;
        if (wrapped < 0)
        {
            wrapped += 64_000_000L;
        }

        return (uint)(((wrapped << 18) + 500_000) / 1_000_000) & 0xFF_FFFF;
    }

    /// <summary>Decodes to microseconds in [0, 64 s).</summary>
    public static long ToMicroseconds(uint time24) => ((long)(time24 & 0xFF_FFFF) * 1_000_000 + (1 << 17)) >> 18;
}
