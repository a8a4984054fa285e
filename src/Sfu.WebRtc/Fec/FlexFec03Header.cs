using System.Buffers.Binary;

namespace Sfu.WebRtc.Fec;

/// <summary>
/// The FEC header at the start of a FlexFEC RTP payload as libwebrtc writes it for the <c>flexfec-03</c> codec
/// (draft-ietf-payload-flexible-fec-scheme-03 §4.2, flexible mask, one protected SSRC). Chromium keeps this draft
/// layout for flexfec-03 (its Flexfec03HeaderWriter); RFC 8627 later dropped the SSRCCount/SSRC words, so this is
/// not the RFC 8627 header.
/// </summary>
/// <remarks>
/// <code>
///     0                   1                   2                   3
///     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  0 |R|F|P|X|  CC   |M| PT recovery |        length recovery        |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  4 |                          TS recovery                          |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  8 |   SSRCCount   |                    reserved                   |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// 12 |                             SSRC_i                            |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// 16 |           SN base_i           |k|          Mask [0-14]        |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// 20 |k|                   Mask [15-45] (optional)                   |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// 24 |k|                                                             |
///    +-+                   Mask [46-108] (optional)                  |
/// 28 |                                                               |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Mask bit i set: the packet SN base + i is protected. A set k bit ends the mask. After the header comes the XOR
/// of everything after the 12-byte fixed RTP header of each protected packet (CSRCs and header extensions
/// included: "all media packets are protected in their entirety"); the recovery fields hold the XOR of the
/// protected packets' P/X/CC, M/PT, length - 12 and timestamp. R = 1 (retransmission) and F = 1 (fixed L x D
/// mask) are not sent by Chromium, and SSRCCount is always 1; anything else is refused.
/// </remarks>
public readonly struct FlexFec03Header
{
    public const int MinLength = 20;
    /// <summary>Mask bits the flexible mask can hold (15 + 31 + 63).</summary>
    public const int MaxProtected = 109;

    private readonly ushort _mask0;
    private readonly uint _mask1;
    private readonly ulong _mask2;

    private FlexFec03Header(uint ssrc, ushort sequenceBase, int length, ushort mask0, uint mask1, ulong mask2, int lengthRecovery)
    {
        ProtectedSsrc = ssrc;
        SequenceBase = sequenceBase;
        Length = length;
        _mask0 = mask0;
        _mask1 = mask1;
        _mask2 = mask2;
        LengthRecovery = lengthRecovery;
    }

    public uint ProtectedSsrc { get; }
    public ushort SequenceBase { get; }
    /// <summary>Header bytes: 20, 24 or 32 depending on which k bit ends the mask.</summary>
    public int Length { get; }
    /// <summary>XOR of the protected packets' lengths minus 12 (the recovered packet's length minus 12).</summary>
    public int LengthRecovery { get; }

    /// <summary>The highest mask index the header can express (14, 45 or 108).</summary>
    public int MaskBits => Length switch { 20 => 15, 24 => 46, _ => MaxProtected };

    /// <summary>Whether SN base + <paramref name="offset"/> is protected.</summary>
    public bool Protects(int offset) => offset switch
    {
        < 0 => false,
        < 15 => (_mask0 & (1 << (14 - offset))) != 0,
        < 46 => (_mask1 & (1u << (30 - (offset - 15)))) != 0,
        < MaxProtected => (_mask2 & (1ul << (62 - (offset - 46)))) != 0,
        _ => false,
    };

    /// <summary>Reads the header at the start of a FlexFEC RTP payload; false if truncated or of a kind Chromium does not send.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out FlexFec03Header header)
    {
        header = default;
        if (payload.Length < MinLength) return false;
        if ((payload[0] & 0xC0) != 0) return false;
        if (payload[8] != 1 || payload[9] != 0 || payload[10] != 0 || payload[11] != 0) return false;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(payload[12..]);
        var seqBase = BinaryPrimitives.ReadUInt16BigEndian(payload[16..]);
        var lengthRecovery = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
        var word0 = BinaryPrimitives.ReadUInt16BigEndian(payload[18..]);
        var mask0 = (ushort)(word0 & 0x7FFF);
        if ((word0 & 0x8000) != 0)
        {
            header = new FlexFec03Header(ssrc, seqBase, 20, mask0, 0, 0, lengthRecovery);
            return true;
        }
        if (payload.Length < 24) return false;
        var word1 = BinaryPrimitives.ReadUInt32BigEndian(payload[20..]);
        var mask1 = word1 & 0x7FFF_FFFF;
        if ((word1 & 0x8000_0000) != 0)
        {
            header = new FlexFec03Header(ssrc, seqBase, 24, mask0, mask1, 0, lengthRecovery);
            return true;
        }
        if (payload.Length < 32) return false;
        var word2 = BinaryPrimitives.ReadUInt64BigEndian(payload[24..]);
        // k2 is the last k bit: a mask that does not end there is malformed (libwebrtc discards it too).
        if ((word2 & 0x8000_0000_0000_0000) == 0) return false;
        header = new FlexFec03Header(ssrc, seqBase, 32, mask0, mask1, word2 & 0x7FFF_FFFF_FFFF_FFFF, lengthRecovery);
        return true;
    }

    /// <summary>Sets SSRC_i and SN base_i, the only fields of the header that name the protected stream.</summary>
    public static void WriteProtected(Span<byte> payload, uint ssrc, ushort sequenceBase)
    {
        BinaryPrimitives.WriteUInt32BigEndian(payload[12..], ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(payload[16..], sequenceBase);
    }

    /// <summary>
    /// Writes a header protecting SN base + each offset in <paramref name="offsets"/> (0..108) with zeroed recovery
    /// fields, the start state a sender XORs its packets into; false when <paramref name="dest"/> is too small.
    /// </summary>
    public static bool TryWrite(Span<byte> dest, uint ssrc, ushort sequenceBase, ReadOnlySpan<int> offsets, out int written)
    {
        written = 0;
        var max = 0;
        foreach (var o in offsets)
        {
            if (o is < 0 or >= MaxProtected) return false;
            max = Math.Max(max, o);
        }
        var length = max < 15 ? 20 : max < 46 ? 24 : 32;
        if (dest.Length < length) return false;
        dest[..length].Clear();
        dest[8] = 1;
        WriteProtected(dest, ssrc, sequenceBase);
        ushort mask0 = 0;
        uint mask1 = 0;
        ulong mask2 = 0;
        foreach (var o in offsets)
        {
            if (o < 15) mask0 |= (ushort)(1 << (14 - o));
            else if (o < 46) mask1 |= 1u << (30 - (o - 15));
            else mask2 |= 1ul << (62 - (o - 46));
        }
        if (length == 20) mask0 |= 0x8000;
        BinaryPrimitives.WriteUInt16BigEndian(dest[18..], mask0);
        if (length >= 24)
            BinaryPrimitives.WriteUInt32BigEndian(dest[20..], mask1 | (length == 24 ? 0x8000_0000u : 0));
        if (length == 32)
            BinaryPrimitives.WriteUInt64BigEndian(dest[24..], mask2 | 0x8000_0000_0000_0000ul);
        written = length;
        return true;
    }
}
