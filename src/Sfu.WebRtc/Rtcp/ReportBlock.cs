using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtcp;

/// <summary>
/// One reception report block of an SR or RR (RFC 3550 §6.4.1).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 SSRC_1 (SSRC of first source)                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | fraction lost |       cumulative number of packets lost       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           extended highest sequence number received           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      interarrival jitter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         last SR (LSR)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   delay since last SR (DLSR)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly record struct ReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint HighestSeq,
    uint Jitter,
    uint LastSr,
    uint DelaySinceLastSr)
{
    public const int Length = 24;

    /// <summary>The 24-bit field is signed (RFC 3550 §6.4.1: duplicates can make it negative).</summary>
    public const int MaxCumulativeLost = 0x7F_FFFF;

    public const int MinCumulativeLost = -0x80_0000;

    public static bool TryParse(ReadOnlySpan<byte> data, out ReportBlock block)
    {
        if (data.Length < Length)
        {
            block = default;
            return false;
        }

        var lost = (data[5] << 16) | (data[6] << 8) | data[7];
        lost = (lost << 8) >> 8;
        block = new ReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(data),
            data[4],
            lost,
            BinaryPrimitives.ReadUInt32BigEndian(data[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[20..]));
        return true;
    }

    /// <summary>Writes 24 bytes, clamping <see cref="CumulativeLost"/> to the signed 24-bit range; -1 if too small.</summary>
    public int Write(Span<byte> dest)
    {
        if (dest.Length < Length)
        {
            return -1;
        }

        var lost = Math.Clamp(CumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        BinaryPrimitives.WriteUInt32BigEndian(dest, Ssrc);
        dest[4] = FractionLost;
        dest[5] = (byte)(lost >> 16);
        dest[6] = (byte)(lost >> 8);
        dest[7] = (byte)lost;
        BinaryPrimitives.WriteUInt32BigEndian(dest[8..], HighestSeq);
        BinaryPrimitives.WriteUInt32BigEndian(dest[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(dest[16..], LastSr);
        BinaryPrimitives.WriteUInt32BigEndian(dest[20..], DelaySinceLastSr);
        return Length;
    }

    internal static int WriteAll(Span<byte> dest, ReadOnlySpan<ReportBlock> blocks)
    {
        var offset = 0;
        foreach (var block in blocks)
        {
            offset += block.Write(dest[offset..]);
        }

        return offset;
    }
}

/// <summary>A view of the report blocks of an SR or RR.</summary>
public readonly ref struct ReportBlockList
{
    private readonly ReadOnlySpan<byte> _data;

    internal ReportBlockList(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    public int Count => _data.Length / ReportBlock.Length;

    public ReportBlock this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            ReportBlock.TryParse(_data.Slice(index * ReportBlock.Length, ReportBlock.Length), out var block);
            return block;
        }
    }

    public Enumerator GetEnumerator() => new(_data);

    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _offset;

        internal Enumerator(ReadOnlySpan<byte> data)
        {
            _data = data;
            _offset = -ReportBlock.Length;
        }

        public readonly ReportBlock Current
        {
            get
            {
                ReportBlock.TryParse(_data.Slice(_offset, ReportBlock.Length), out var block);
                return block;
            }
        }

        public bool MoveNext()
        {
            _offset += ReportBlock.Length;
            return _offset + ReportBlock.Length <= _data.Length;
        }
    }
}
