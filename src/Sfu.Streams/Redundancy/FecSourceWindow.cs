namespace Sfu.Streams.Redundancy;

/// <summary>
/// The last received media packets of a FEC-protected track as the publisher sent them, by extended sequence number.
/// A forwarded FEC packet protects these original bytes; to make it protect the subscriber's rewritten packets the
/// SFU XORs each original out and its rewrite in, so it needs the originals for as long as FEC can refer to them
/// (libwebrtc protects at most 48 packets per FEC packet, sent right after them).
/// </summary>
/// <remarks>Publisher ingress thread only (stored while forwarding media, read while forwarding FEC).</remarks>
public sealed class FecSourceWindow
{
    public const int DefaultCapacity = 256;
    private const int SlotSize = 1500;
    private readonly byte[] _data;
    private readonly long[] _sequence;
    private readonly int[] _length;
    private readonly int _mask;

    public FecSourceWindow(int capacity = DefaultCapacity)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(capacity), "a power of two");
        _data = new byte[capacity * SlotSize];
        _sequence = new long[capacity];
        Array.Fill(_sequence, -1);
        _length = new int[capacity];
        _mask = capacity - 1;
    }

    /// <summary>The highest extended sequence number stored; -1 before the first.</summary>
    public long Highest { get; private set; } = -1;

    public void Store(long sequence, ReadOnlySpan<byte> packet)
    {
        if (sequence < 0 || packet.Length > SlotSize) return;
        var i = (int)(sequence & _mask);
        packet.CopyTo(_data.AsSpan(i * SlotSize));
        _sequence[i] = sequence;
        _length[i] = packet.Length;
        if (sequence > Highest) Highest = sequence;
    }

    public bool TryGet(long sequence, out ReadOnlySpan<byte> packet)
    {
        var i = (int)(sequence & _mask);
        if (sequence < 0 || _sequence[i] != sequence)
        {
            packet = default;
            return false;
        }
        packet = _data.AsSpan(i * SlotSize, _length[i]);
        return true;
    }

    /// <summary>Extends a 16-bit sequence number (a FEC packet's SN base) to the one nearest the newest stored.</summary>
    public long Unwrap(ushort sequence)
    {
        if (Highest < 0) return sequence;
        var delta = (short)(sequence - (ushort)Highest);
        return Highest + delta;
    }
}
