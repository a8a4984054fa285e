using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Pipeline;

/// <summary>Packets that carry only a number, for tests of what moves packets between threads and graphs.</summary>
internal static class NumberedPackets
{
    public static MediaPacket Numbered(int n)
    {
        var p = MediaPacket.Rent();
        BitConverter.TryWriteBytes(p.Buffer.AsSpan(0, 4), n);
        p.Length = 4;
        return p;
    }

    public static int NumberOf(MediaPacket p) => BitConverter.ToInt32(p.Buffer, 0);
}
