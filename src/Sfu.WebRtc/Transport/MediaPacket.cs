using System.Collections.Concurrent;

namespace Sfu.WebRtc.Transport;

/// <summary>
/// One datagram's bytes plus what ingress learned about it. The buffer is rented from the shared pool and
/// sized for an MTU-sized packet plus SRTP overhead, so decrypt/encrypt work in place.
/// Ownership moves with the element: whoever holds it last calls <see cref="Release"/>.
/// </summary>
public sealed class MediaPacket
{
    public const int BufferSize = 1500 + 64;
    private static readonly ConcurrentQueue<MediaPacket> Pool = new();
    private static int _pooled;
    private const int MaxPooled = 16384;

    public byte[] Buffer { get; private set; } = [];
    public int Length { get; set; }
    /// <summary>Arrival time in <see cref="TimeProvider.GetTimestamp"/> ticks.</summary>
    public long ArrivalTimestamp { get; set; }
    public bool IsRtcp { get; set; }
    /// <summary>Extended (64-bit) sequence number, set by RTP ingress.</summary>
    public long ExtendedSequence { get; set; }
    public bool IsKeyframe { get; set; }
    /// <summary>Set by RTP ingress on a packet restored from an RTX retransmission (RFC 4588): its header extensions are the retransmission's.</summary>
    public bool Restored { get; set; }
    /// <summary>RTP SSRC as read by ingress.</summary>
    public uint Ssrc { get; set; }
    /// <summary>What ingress resolved the packet to (the stream layer's receive stream); opaque here.</summary>
    public object? Route { get; set; }
    /// <summary>Egress: the bandwidth probe cluster this packet belongs to, or -1.</summary>
    public int ProbeClusterId { get; set; } = -1;

    public Span<byte> Span => Buffer.AsSpan(0, Length);

    public static MediaPacket Rent()
    {
        if (Pool.TryDequeue(out var p))
        {
            Interlocked.Decrement(ref _pooled);
            p._released = false;
            return p;
        }
        // A pooled packet keeps its buffer for life: the shared ArrayPool holds only a few buffers per size, so
        // renting from it per packet allocated ~2 KB per forwarded copy under fan-out (bench/ForwardingBenchmarks).
        return new MediaPacket { Buffer = new byte[BufferSize] };
    }

    private bool _released;

    public static MediaPacket CopyOf(ReadOnlySpan<byte> data)
    {
        var p = Rent();
        data.CopyTo(p.Buffer);
        p.Length = data.Length;
        return p;
    }

    public void Release()
    {
        if (_released) return;
        _released = true;
        Length = 0;
        IsRtcp = false;
        IsKeyframe = false;
        Restored = false;
        ExtendedSequence = 0;
        Ssrc = 0;
        Route = null;
        ProbeClusterId = -1;
        ArrivalTimestamp = 0;
        if (Interlocked.Increment(ref _pooled) <= MaxPooled) Pool.Enqueue(this);
        else Interlocked.Decrement(ref _pooled);
    }
}
