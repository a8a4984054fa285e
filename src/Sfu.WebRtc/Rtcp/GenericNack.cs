using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtcp;

/// <summary>
/// Generic NACK (RFC 4585 §6.2.1): an RTPFB with FMT=1 whose FCI entries each name a lost packet (PID)
/// and, in a bitmask (BLP), which of the 16 packets after it were lost too.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=1  |   PT=205      |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            PID                |             BLP               |   repeated
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Bit i of BLP (least significant first) reports PID + i + 1 as lost.
/// </remarks>
public readonly ref struct GenericNack
{
    private const int EntryLength = 4;
    private readonly ReadOnlySpan<byte> _entries;

    private GenericNack(uint senderSsrc, uint mediaSsrc, ReadOnlySpan<byte> entries)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        _entries = entries;
    }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    public int EntryCount => _entries.Length / EntryLength;

    /// <summary>Every sequence number reported lost, entry by entry (PID first, then BLP bits in order).</summary>
    public LostEnumerator LostSequenceNumbers => new(_entries);

    public static bool TryParse(ReadOnlySpan<byte> packet, out GenericNack nack)
    {
        nack = default;
        if (!RtcpHeader.TryGetFeedbackBody(packet, RtcpPacketType.RTPFB, RtcpFeedbackFormat.GenericNack, out var body)
            || body.Length < 8 + EntryLength)
        {
            return false;
        }

        var entries = body[8..];
        nack = new GenericNack(
            BinaryPrimitives.ReadUInt32BigEndian(body),
            BinaryPrimitives.ReadUInt32BigEndian(body[4..]),
            entries[..(entries.Length / EntryLength * EntryLength)]);
        return true;
    }

    /// <summary>How many PID+BLP entries <see cref="Write"/> needs for <paramref name="lost"/>.</summary>
    public static int GetEntryCount(ReadOnlySpan<ushort> lost) => Pack(lost, default);

    public static int GetLength(ReadOnlySpan<ushort> lost) => RtcpHeader.Length + 8 + GetEntryCount(lost) * EntryLength;

    /// <summary>
    /// Writes a NACK for <paramref name="lost"/>. Ascending order (modulo 2^16) packs best; any order still reports every
    /// number, since one outside the current entry's 16-packet window starts a new entry (a repeat may then appear twice).
    /// Returns bytes written, or -1 if <paramref name="dest"/> is too small.
    /// </summary>
    public static int Write(Span<byte> dest, uint senderSsrc, uint mediaSsrc, ReadOnlySpan<ushort> lost)
    {
        ArgumentOutOfRangeException.ThrowIfZero(lost.Length);
        var length = GetLength(lost);
        if (dest.Length < length)
        {
            return -1;
        }

        RtcpHeader.Write(dest, RtcpFeedbackFormat.GenericNack, RtcpPacketType.RTPFB, length);
        BinaryPrimitives.WriteUInt32BigEndian(dest[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(dest[8..], mediaSsrc);
        Pack(lost, dest[12..length]);
        return length;
    }

    // Counts entries, and writes them when fci is not empty.
    private static int Pack(ReadOnlySpan<ushort> lost, Span<byte> fci)
    {
        var count = 0;
        ushort pid = 0;
        ushort blp = 0;
        foreach (var seq in lost)
        {
            var distance = (ushort)(seq - pid);
            if (count > 0 && distance == 0)
            {
                continue;
            }

            if (count > 0 && distance <= 16)
            {
                blp |= (ushort)(1 << (distance - 1));
                continue;
            }

            if (count > 0 && !fci.IsEmpty)
            {
                WriteEntry(fci, count - 1, pid, blp);
            }

            count++;
            pid = seq;
            blp = 0;
        }

        if (count > 0 && !fci.IsEmpty)
        {
            WriteEntry(fci, count - 1, pid, blp);
        }

        return count;
    }

    private static void WriteEntry(Span<byte> fci, int index, ushort pid, ushort blp)
    {
        BinaryPrimitives.WriteUInt16BigEndian(fci[(index * EntryLength)..], pid);
        BinaryPrimitives.WriteUInt16BigEndian(fci[(index * EntryLength + 2)..], blp);
    }

    public ref struct LostEnumerator
    {
        private readonly ReadOnlySpan<byte> _entries;
        private int _offset;
        private int _bit;
        private ushort _pid;
        private ushort _blp;

        internal LostEnumerator(ReadOnlySpan<byte> entries)
        {
            _entries = entries;
            _offset = -EntryLength;
            _bit = 16;
            _pid = 0;
            _blp = 0;
            Current = 0;
        }

        public ushort Current { get; private set; }

        public readonly LostEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_bit < 16)
            {
                var bit = _bit++;
                if ((_blp & (1 << bit)) != 0)
                {
                    Current = (ushort)(_pid + bit + 1);
                    return true;
                }
            }

            _offset += EntryLength;
            if (_offset + EntryLength > _entries.Length)
            {
                return false;
            }

            _pid = BinaryPrimitives.ReadUInt16BigEndian(_entries[_offset..]);
            _blp = BinaryPrimitives.ReadUInt16BigEndian(_entries[(_offset + 2)..]);
            _bit = 0;
            Current = _pid;
            return true;
        }
    }
}
