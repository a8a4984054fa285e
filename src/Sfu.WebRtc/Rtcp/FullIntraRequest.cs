using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtcp;

/// <summary>
/// Full Intra Request (RFC 5104 §4.3.1): a PSFB with FMT=4 and one FCI entry per media sender asked for a keyframe.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=4  |   PT=206      |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             SSRC of media source (unused, SHALL be 0)         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              SSRC                             |   FCI entry,
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   repeated
/// | Seq nr.       |    Reserved                                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct FullIntraRequest
{
    private const int EntryLength = 8;
    private readonly ReadOnlySpan<byte> _entries;

    private FullIntraRequest(uint senderSsrc, uint mediaSsrc, ReadOnlySpan<byte> entries)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        _entries = entries;
    }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    public int EntryCount => _entries.Length / EntryLength;

    public Enumerator Entries => new(_entries);

    public static bool TryParse(ReadOnlySpan<byte> packet, out FullIntraRequest fir)
    {
        fir = default;
        if (!RtcpHeader.TryGetFeedbackBody(packet, RtcpPacketType.PSFB, RtcpFeedbackFormat.FullIntraRequest, out var body)
            || body.Length < 8 + EntryLength)
        {
            return false;
        }

        var entries = body[8..];
        fir = new FullIntraRequest(
            BinaryPrimitives.ReadUInt32BigEndian(body),
            BinaryPrimitives.ReadUInt32BigEndian(body[4..]),
            entries[..(entries.Length / EntryLength * EntryLength)]);
        return true;
    }

    public static int GetLength(int entryCount) => RtcpHeader.Length + 8 + entryCount * EntryLength;

    public static int Write(Span<byte> dest, uint senderSsrc, ReadOnlySpan<FirEntry> entries)
    {
        ArgumentOutOfRangeException.ThrowIfZero(entries.Length);
        var length = GetLength(entries.Length);
        if (dest.Length < length)
        {
            return -1;
        }

        RtcpHeader.Write(dest, RtcpFeedbackFormat.FullIntraRequest, RtcpPacketType.PSFB, length);
        BinaryPrimitives.WriteUInt32BigEndian(dest[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(dest[8..], 0);
        var offset = 12;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt32BigEndian(dest[offset..], entry.Ssrc);
            dest[offset + 4] = entry.SequenceNumber;
            dest.Slice(offset + 5, 3).Clear();
            offset += EntryLength;
        }

        return length;
    }

    /// <summary>One request; <paramref name="sequenceNumber"/> must grow by one per new request to that sender (RFC 5104 §4.3.1.2).</summary>
    public static int Write(Span<byte> dest, uint senderSsrc, uint mediaSsrc, byte sequenceNumber) =>
        Write(dest, senderSsrc, [new FirEntry(mediaSsrc, sequenceNumber)]);

    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _entries;
        private int _offset;

        internal Enumerator(ReadOnlySpan<byte> entries)
        {
            _entries = entries;
            _offset = -EntryLength;
        }

        public readonly FirEntry Current =>
            new(BinaryPrimitives.ReadUInt32BigEndian(_entries[_offset..]), _entries[_offset + 4]);

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            _offset += EntryLength;
            return _offset + EntryLength <= _entries.Length;
        }
    }
}

public readonly record struct FirEntry(uint Ssrc, byte SequenceNumber);
