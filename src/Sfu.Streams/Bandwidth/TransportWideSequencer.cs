namespace Sfu.Streams.Bandwidth;

/// <summary>
/// Assigns transport-wide sequence numbers (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2) to the packets one
/// subscriber connection sends, and remembers each packet's send time and size in a fixed ring so transport-cc feedback
/// can be joined with them later. Numbers are kept unwrapped (64 bits) inside; the wire carries the low 16 bits.
/// </summary>
/// <remarks>
/// Thread-safe: the egress path assigns numbers while the RTCP path (another thread) reads records back.
/// The lock is uncontended almost always and costs tens of nanoseconds; nothing is allocated per packet.
/// </remarks>
public sealed class TransportWideSequencer
{
    public const int NoProbeCluster = -1;

    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly Lock _gate = new();
    private long _next;

    /// <param name="capacity">Packets remembered, rounded up to a power of two. Feedback about older packets is ignored,
    /// so it must cover the packets sent in the longest feedback delay (4096 is ~2 s at 25 Mbps of 1200-byte packets).</param>
    /// <param name="first">The first number to hand out; a random start is allowed but not required by the draft.</param>
    public TransportWideSequencer(int capacity = 4096, ushort first = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 15);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new Slot[size];
        _mask = size - 1;
        _next = first;
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i].Sequence = -1;
        }
    }

    public int Capacity => _slots.Length;

    /// <summary>Packets numbered so far.</summary>
    public long Count { get; private set; }

    /// <summary>Numbers the next outgoing packet and records it; returns the 16-bit value to write in the header extension.</summary>
    public ushort Next(long sendMicros, int sizeBytes, int probeClusterId = NoProbeCluster)
    {
        lock (_gate)
        {
            var sequence = _next++;
            ref var slot = ref _slots[sequence & _mask];
            slot.Sequence = sequence;
            slot.SendMicros = sendMicros;
            slot.Size = sizeBytes;
            slot.ProbeClusterId = probeClusterId;
            Count++;
            return (ushort)sequence;
        }
    }

    /// <summary>Corrects the send time once the packet really left (e.g. after a pacer queue).</summary>
    public bool MarkSent(ushort sequenceNumber, long sendMicros)
    {
        lock (_gate)
        {
            var sequence = UnwrapLocked(sequenceNumber);
            ref var slot = ref _slots[sequence & _mask];
            if (slot.Sequence != sequence)
            {
                return false;
            }

            slot.SendMicros = sendMicros;
            return true;
        }
    }

    /// <summary>The unwrapped number nearest to the last one handed out whose low 16 bits are <paramref name="sequenceNumber"/>.</summary>
    public long Unwrap(ushort sequenceNumber)
    {
        lock (_gate)
        {
            return UnwrapLocked(sequenceNumber);
        }
    }

    /// <summary>Looks a packet up by its wire number; false if it was never sent or has been overwritten in the ring.</summary>
    public bool TryGet(ushort sequenceNumber, out SentPacket packet)
    {
        lock (_gate)
        {
            return TryGetLocked(UnwrapLocked(sequenceNumber), out packet);
        }
    }

    public bool TryGet(long sequence, out SentPacket packet)
    {
        lock (_gate)
        {
            return TryGetLocked(sequence, out packet);
        }
    }

    private bool TryGetLocked(long sequence, out SentPacket packet)
    {
        ref var slot = ref _slots[sequence & _mask];
        if (sequence < 0 || slot.Sequence != sequence)
        {
            packet = default;
            return false;
        }

        packet = new SentPacket(sequence, slot.SendMicros, slot.Size, slot.ProbeClusterId);
        return true;
    }

    private long UnwrapLocked(ushort sequenceNumber)
    {
        var last = _next - 1;
        var delta = (ushort)(sequenceNumber - (ushort)last);
        return delta < 0x8000 ? last + delta : last + delta - 0x10000;
    }

    private struct Slot
    {
        public long Sequence;
        public long SendMicros;
        public int Size;
        public int ProbeClusterId;
    }
}
