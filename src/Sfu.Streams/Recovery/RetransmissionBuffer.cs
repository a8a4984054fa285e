using System.Buffers;

namespace Sfu.Streams.Recovery;

/// <summary>The answer to one retransmission request.</summary>
public enum RetransmitLookup
{
    /// <summary>The packet was copied out.</summary>
    Copied,
    /// <summary>Never stored, overwritten, or older than the retention time.</summary>
    NotHeld,
    /// <summary>Sent again too recently: the first retransmission may still be on its way (mediasoup does the same).</summary>
    TooSoon,
}

/// <summary>
/// The packets one down-track sent in the last second, keyed by the sequence number the subscriber saw, so its
/// NACKs (RFC 4585 §6.2.1) can be answered. A ring of slots indexed by sequence number: storing overwrites the slot
/// of the packet <see cref="Capacity"/> numbers earlier. A slot holds a pooled buffer only while its packet is younger
/// than <see cref="MaxAge"/>: each store first returns the buffers of packets that aged out (oldest first, in store
/// order) and reuses one of them, so a down-track holds about rate x MaxAge buffers (a 150 kbps video track: ~30)
/// instead of one per slot for life (1024 x 2 KB = 2 MB per video down-track once 1024 packets had been sent: most of
/// a subscriber's memory, issue 7). Steady-state storing allocates nothing. Thread-safe: the publisher's ingress
/// stores, the subscriber's RTCP reads.
/// </summary>
public sealed class RetransmissionBuffer : IDisposable
{
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromSeconds(1);
    public const int DefaultCapacity = 1024;
    // Room for a full-size packet and the 2-byte OSN of an RTX copy.
    private const int SlotBufferSize = 1500;

    private readonly TimeProvider _time;
    private readonly TimeSpan _maxAge;
    private readonly Slot[] _slots;
    private readonly int _mask;
    // Sequence numbers in store order, oldest at _head: what to release when it ages out.
    private readonly ushort[] _order;
    private int _head;
    private int _count;
    private readonly object _gate = new();
    private bool _disposed;

    private struct Slot
    {
        public byte[]? Buffer;
        public int Length;
        public ushort Sequence;
        public bool Used;
        public long StoredAt;
        public long ResentAt;
    }

    /// <param name="capacity">Slots, rounded up to a power of two; it bounds how many packets one retention time can hold.</param>
    public RetransmissionBuffer(TimeProvider time, int capacity = DefaultCapacity, TimeSpan? maxAge = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        _maxAge = maxAge ?? DefaultMaxAge;
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new Slot[size];
        _order = new ushort[size];
        _mask = size - 1;
    }

    /// <summary>Slots holding a buffer now (for tests and memory accounting).</summary>
    public int BuffersHeld
    {
        get
        {
            lock (_gate)
            {
                var held = 0;
                foreach (var slot in _slots)
                    if (slot.Buffer is not null) held++;
                return held;
            }
        }
    }

    public int Capacity => _slots.Length;
    public TimeSpan MaxAge => _maxAge;

    /// <summary>Keeps a copy of a packet as sent (plaintext, after rewriting) under its outgoing sequence number.</summary>
    public void Store(ushort sequence, ReadOnlySpan<byte> packet)
    {
        if (packet.Length > SlotBufferSize) return;
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_disposed) return;
            ReleaseAged(now);
            // A full order ring means the oldest entry is a whole ring behind: its slot is about to be reused anyway.
            if (_count == _order.Length) ReleaseOldest(force: true, now);
            ref var slot = ref _slots[sequence & _mask];
            // Taken right after ReleaseAged gave one back on this thread, so the pool's per-thread cache serves it.
            slot.Buffer ??= ArrayPool<byte>.Shared.Rent(SlotBufferSize);
            _order[(_head + _count++) & _mask] = sequence;
            packet.CopyTo(slot.Buffer);
            slot.Length = packet.Length;
            slot.Sequence = sequence;
            slot.Used = true;
            slot.StoredAt = now;
            slot.ResentAt = long.MinValue;
        }
    }

    private void ReleaseAged(long now)
    {
        while (_count > 0 && ReleaseOldest(force: false, now))
        {
        }
    }

    /// <summary>Drops the oldest order entry, returning its slot's buffer if the slot still holds that packet; false if it is too young.</summary>
    private bool ReleaseOldest(bool force, long now)
    {
        var sequence = _order[_head];
        ref var slot = ref _slots[sequence & _mask];
        // A slot overwritten by a later packet has its own, later entry: this one only goes.
        if (slot.Used && slot.Sequence == sequence)
        {
            if (!force && _time.GetElapsedTime(slot.StoredAt, now) <= _maxAge) return false;
            if (slot.Buffer is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
            slot = default;
        }
        _head = (_head + 1) & _mask;
        _count--;
        return true;
    }

    /// <summary>
    /// Copies the packet sent as <paramref name="sequence"/> into <paramref name="dest"/> if it is still held and was
    /// not resent within <paramref name="minResendInterval"/>; a copy counts as resent now.
    /// </summary>
    public RetransmitLookup TryCopy(ushort sequence, TimeSpan minResendInterval, Span<byte> dest, out int length)
    {
        length = 0;
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_disposed) return RetransmitLookup.NotHeld;
            ref var slot = ref _slots[sequence & _mask];
            if (!slot.Used || slot.Sequence != sequence || _time.GetElapsedTime(slot.StoredAt, now) > _maxAge || slot.Length > dest.Length)
                return RetransmitLookup.NotHeld;
            if (slot.ResentAt != long.MinValue && _time.GetElapsedTime(slot.ResentAt, now) < minResendInterval)
                return RetransmitLookup.TooSoon;
            slot.Buffer.AsSpan(0, slot.Length).CopyTo(dest);
            slot.ResentAt = now;
            length = slot.Length;
            return RetransmitLookup.Copied;
        }
    }

    /// <summary>
    /// Copies the packet sent as <paramref name="sequence"/> without counting it as resent: FEC forwarding reads the
    /// packets a FEC packet protects as the subscriber got them.
    /// </summary>
    public bool TryRead(ushort sequence, Span<byte> dest, out int length)
    {
        length = 0;
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_disposed) return false;
            ref var slot = ref _slots[sequence & _mask];
            if (!slot.Used || slot.Sequence != sequence || _time.GetElapsedTime(slot.StoredAt, now) > _maxAge || slot.Length > dest.Length)
                return false;
            slot.Buffer.AsSpan(0, slot.Length).CopyTo(dest);
            length = slot.Length;
            return true;
        }
    }

    /// <summary>Returns every slot's buffer to the pool; later stores and lookups do nothing.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            for (var i = 0; i < _slots.Length; i++)
            {
                if (_slots[i].Buffer is { } b) ArrayPool<byte>.Shared.Return(b);
                _slots[i] = default;
            }
            _count = 0;
        }
    }
}
