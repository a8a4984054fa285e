using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtcp;

/// <summary>A view of consecutive big-endian 32-bit SSRCs inside a packet (BYE, REMB).</summary>
public readonly ref struct SsrcList
{
    private readonly ReadOnlySpan<byte> _data;

    internal SsrcList(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    public int Count => _data.Length / 4;

    public uint this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(index * 4, 4));
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
            _offset = -4;
        }

        public readonly uint Current => BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(_offset, 4));

        public bool MoveNext()
        {
            _offset += 4;
            return _offset + 4 <= _data.Length;
        }
    }
}
