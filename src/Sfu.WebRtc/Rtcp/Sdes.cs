using System.Buffers.Binary;
using System.Text;

namespace Sfu.WebRtc.Rtcp;

/// <summary>
/// Source description (RFC 3550 §6.5).
/// </summary>
/// <remarks>
/// <code>
///        0                   1                   2                   3
///        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header|V=2|P|    SC   |  PT=SDES=202  |             length            |
///       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// chunk |                          SSRC/CSRC_1                          |
///   1   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |    type (8)   |   length (8)  |  text (length bytes) ...      |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |  ... more items, then a zero octet (END) and zeros to a 32-bit boundary
///       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// chunk |                          SSRC/CSRC_2                          |
///   2   ...
/// </code>
/// </remarks>
public readonly ref struct Sdes
{
    /// <summary>SDES item type CNAME (RFC 3550 §6.5.1).</summary>
    public const byte CnameItem = 1;

    private readonly ReadOnlySpan<byte> _body;

    private Sdes(ReadOnlySpan<byte> body, int chunkCount)
    {
        _body = body;
        ChunkCount = chunkCount;
    }

    public int ChunkCount { get; }

    public SdesChunkEnumerator Chunks => new(_body, ChunkCount);

    /// <summary>Parses an SDES packet, checking that all of its SC chunks are well formed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out Sdes sdes)
    {
        sdes = default;
        if (!RtcpHeader.TryGetBody(packet, RtcpPacketType.SDES, out var header, out var body))
        {
            return false;
        }

        var offset = 0;
        for (var i = 0; i < header.Count; i++)
        {
            if (!SdesChunk.TryRead(body, ref offset, out _))
            {
                return false;
            }
        }

        sdes = new Sdes(body, header.Count);
        return true;
    }

    public static int GetLength(ReadOnlySpan<SdesCnameChunk> chunks)
    {
        var length = RtcpHeader.Length;
        foreach (var chunk in chunks)
        {
            length += GetChunkLength(chunk.Cname);
        }

        return length;
    }

    /// <summary>Writes one chunk per SSRC carrying a CNAME item (at most 31 chunks, CNAMEs of at most 255 UTF-8 bytes).</summary>
    public static int Write(Span<byte> dest, ReadOnlySpan<SdesCnameChunk> chunks)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunks.Length, 31);
        foreach (var chunk in chunks)
        {
            if (Encoding.UTF8.GetByteCount(chunk.Cname) > 255)
            {
                throw new ArgumentException("A CNAME holds at most 255 bytes.", nameof(chunks));
            }
        }

        var length = GetLength(chunks);
        if (dest.Length < length)
        {
            return -1;
        }

        RtcpHeader.Write(dest, chunks.Length, RtcpPacketType.SDES, length);
        var offset = RtcpHeader.Length;
        foreach (var chunk in chunks)
        {
            var chunkLength = GetChunkLength(chunk.Cname);
            var target = dest.Slice(offset, chunkLength);
            target.Clear();
            BinaryPrimitives.WriteUInt32BigEndian(target, chunk.Ssrc);
            target[4] = CnameItem;
            target[5] = (byte)Encoding.UTF8.GetBytes(chunk.Cname, target[6..]);
            offset += chunkLength;
        }

        return length;
    }

    public static int Write(Span<byte> dest, uint ssrc, string cname) => Write(dest, [new SdesCnameChunk(ssrc, cname)]);

    // SSRC + type + length + text + END octet, rounded up to 32 bits.
    private static int GetChunkLength(string cname) => (4 + 2 + Encoding.UTF8.GetByteCount(cname) + 1 + 3) & ~3;
}

/// <summary>What <see cref="Sdes.Write(Span{byte}, ReadOnlySpan{SdesCnameChunk})"/> writes for one source.</summary>
public readonly record struct SdesCnameChunk(uint Ssrc, string Cname);

/// <summary>One SDES chunk: a source and a view of its items.</summary>
public readonly ref struct SdesChunk
{
    private SdesChunk(uint ssrc, ReadOnlySpan<byte> items)
    {
        Ssrc = ssrc;
        Items = items;
    }

    public uint Ssrc { get; }

    /// <summary>The raw items, END octet excluded.</summary>
    public ReadOnlySpan<byte> Items { get; }

    public SdesItemEnumerator GetItems() => new(Items);

    public bool TryGetItem(byte type, out ReadOnlySpan<byte> text)
    {
        foreach (var item in GetItems())
        {
            if (item.Type == type)
            {
                text = item.Text;
                return true;
            }
        }

        text = default;
        return false;
    }

    public bool TryGetCname(out ReadOnlySpan<byte> cname) => TryGetItem(Sdes.CnameItem, out cname);

    /// <summary>Reads the chunk starting at <paramref name="offset"/> (32-bit aligned in the body) and moves past its padding.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> body, scoped ref int offset, out SdesChunk chunk)
    {
        chunk = default;
        if (offset + 4 > body.Length)
        {
            return false;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(body[offset..]);
        var itemsStart = offset + 4;
        var position = itemsStart;
        while (true)
        {
            if (position >= body.Length)
            {
                return false;
            }

            if (body[position] == 0)
            {
                break;
            }

            if (position + 2 > body.Length || position + 2 + body[position + 1] > body.Length)
            {
                return false;
            }

            position += 2 + body[position + 1];
        }

        chunk = new SdesChunk(ssrc, body[itemsStart..position]);
        // RFC 3550 §6.5: the END octet is followed by zeros up to the next 32-bit boundary.
        offset = Math.Min((position + 1 + 3) & ~3, body.Length);
        return true;
    }
}

public readonly ref struct SdesItem
{
    internal SdesItem(byte type, ReadOnlySpan<byte> text)
    {
        Type = type;
        Text = text;
    }

    public byte Type { get; }

    public ReadOnlySpan<byte> Text { get; }
}

public ref struct SdesChunkEnumerator
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly int _count;
    private int _index;
    private int _offset;

    internal SdesChunkEnumerator(ReadOnlySpan<byte> body, int count)
    {
        _body = body;
        _count = count;
        _index = 0;
        _offset = 0;
        Current = default;
    }

    public SdesChunk Current { get; private set; }

    public readonly SdesChunkEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_index >= _count || !SdesChunk.TryRead(_body, ref _offset, out var chunk))
        {
            return false;
        }

        _index++;
        Current = chunk;
        return true;
    }
}

public ref struct SdesItemEnumerator
{
    private readonly ReadOnlySpan<byte> _items;
    private int _offset;

    internal SdesItemEnumerator(ReadOnlySpan<byte> items)
    {
        _items = items;
        _offset = 0;
        Current = default;
    }

    public SdesItem Current { get; private set; }

    public readonly SdesItemEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_offset + 2 > _items.Length)
        {
            return false;
        }

        var length = _items[_offset + 1];
        if (_offset + 2 + length > _items.Length)
        {
            return false;
        }

        Current = new SdesItem(_items[_offset], _items.Slice(_offset + 2, length));
        _offset += 2 + length;
        return true;
    }
}
