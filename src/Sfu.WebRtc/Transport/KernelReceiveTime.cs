using System.Runtime.InteropServices;

namespace Sfu.WebRtc.Transport;

/// <summary>
/// When the kernel received the last datagram read from a UDP socket (Linux SIOCGSTAMP, socket(7)), as an age.
/// Transport-cc feedback tells publishers' browsers when each packet arrived, and their probes are judged by the
/// spread of those arrivals: a receive thread that was not scheduled for a few ms reads a probe burst from the socket
/// queue all at once, the probe looks received faster than sent (libwebrtc rejects a receive/send ratio above 2), and
/// the browser's estimate creeps up at 8 %/s instead of jumping. The kernel's stamp is taken before that queue.
/// </summary>
/// <remarks>
/// One ioctl per datagram (asked for RTP only). Each receive thread reads its own socket (SO_REUSEPORT, see
/// <see cref="UdpMux"/>), so the stamp is always the one of the datagram that thread just read.
/// </remarks>
public static class KernelReceiveTime
{
    // SIOCGSTAMP (asm-generic/sockios.h, the 64-bit timeval form on 64-bit Linux).
    private const nuint SiocGStamp = 0x8906;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timeval
    {
        public long Seconds;
        public long Microseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int ioctl(nint fd, nuint request, out Timeval value);

    public static bool Supported => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>Microseconds since the kernel received the last datagram read from <paramref name="fd"/>; -1 if unknown.</summary>
    public static long AgeMicros(nint fd)
    {
        if (ioctl(fd, SiocGStamp, out var stamp) != 0) return -1;
        var now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        return now - (stamp.Seconds * 1_000_000 + stamp.Microseconds);
    }
}
