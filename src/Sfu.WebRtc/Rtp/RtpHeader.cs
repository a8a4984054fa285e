using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtp;

/// <summary>
/// Parsed facts about one RTP packet (RFC 3550 §5.1); offsets point into the packet it was parsed from.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      defined by profile       |           length              |   (X = 1, RFC 3550 §5.3.1)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        header extension                       |
/// |                             ....                              |
/// </code>
/// </remarks>
public readonly struct RtpHeader
{
    public const int FixedHeaderLength = 12;
    public const ushort OneByteExtensionProfile = 0xBEDE;
    public const ushort TwoByteExtensionProfile = 0x1000;

    public bool Padding { get; }
    public bool HasExtension { get; }
    public int CsrcCount { get; }
    public bool Marker { get; }
    public byte PayloadType { get; }
    public ushort SequenceNumber { get; }
    public uint Timestamp { get; }
    public uint Ssrc { get; }

    /// <summary>0xBEDE for the one-byte form, 0x1000-0x100F for the two-byte form (RFC 8285 §4.2, §4.3); 0 if no extension.</summary>
    public ushort ExtensionProfile { get; }

    /// <summary>Offset of the first extension element, after the 4-byte extension header; 0 if none.</summary>
    public int ExtensionOffset { get; }

    /// <summary>Bytes of extension data (the header's length field times 4).</summary>
    public int ExtensionLength { get; }

    /// <summary>12 + 4*CC + (X ? 4 + ExtensionLength : 0): the payload offset.</summary>
    public int HeaderLength { get; }

    /// <summary>Payload bytes, excluding padding.</summary>
    public int PayloadLength { get; }

    public int PaddingLength { get; }

    public int PayloadOffset => HeaderLength;

    /// <summary>True when the extension block uses RFC 8285's one-byte form.</summary>
    public bool IsOneByteExtension => HasExtension && ExtensionProfile == OneByteExtensionProfile;

    /// <summary>True when the extension block uses RFC 8285's two-byte form (0x100 + 4 app bits).</summary>
    public bool IsTwoByteExtension => HasExtension && (ExtensionProfile & 0xFFF0) == TwoByteExtensionProfile;

    private RtpHeader(
        bool padding, bool hasExtension, int csrcCount, bool marker, byte payloadType, ushort sequenceNumber,
        uint timestamp, uint ssrc, ushort extensionProfile, int extensionOffset, int extensionLength,
        int headerLength, int payloadLength, int paddingLength)
    {
        Padding = padding;
        HasExtension = hasExtension;
        CsrcCount = csrcCount;
        Marker = marker;
        PayloadType = payloadType;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        Ssrc = ssrc;
        ExtensionProfile = extensionProfile;
        ExtensionOffset = extensionOffset;
        ExtensionLength = extensionLength;
        HeaderLength = headerLength;
        PayloadLength = payloadLength;
        PaddingLength = paddingLength;
    }

    /// <summary>CSRC number <paramref name="index"/> of a packet this header was parsed from.</summary>
    public uint GetCsrc(ReadOnlySpan<byte> packet, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(FixedHeaderLength + 4 * index, 4));
    }

    /// <summary>Parses a version 2 RTP header; every length is checked against the packet, padding included.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        header = default;
        if (packet.Length < FixedHeaderLength)
        {
            return false;
        }

        var b0 = packet[0];
        if (b0 >> 6 != 2)
        {
            return false;
        }

        var padding = (b0 & 0x20) != 0;
        var hasExtension = (b0 & 0x10) != 0;
        var csrcCount = b0 & 0x0F;
        var b1 = packet[1];
        var offset = FixedHeaderLength + 4 * csrcCount;
        if (packet.Length < offset)
        {
            return false;
        }

        ushort profile = 0;
        var extensionOffset = 0;
        var extensionLength = 0;
        if (hasExtension)
        {
            if (packet.Length < offset + 4)
            {
                return false;
            }

            profile = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset, 2));
            extensionLength = 4 * BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset + 2, 2));
            extensionOffset = offset + 4;
            offset = extensionOffset + extensionLength;
            if (packet.Length < offset)
            {
                return false;
            }
        }

        var paddingLength = 0;
        if (padding)
        {
            // RFC 3550 §5.1: the last octet counts the padding, itself included, so 0 is invalid.
            paddingLength = packet[^1];
            if (paddingLength == 0 || paddingLength > packet.Length - offset)
            {
                return false;
            }
        }

        header = new RtpHeader(
            padding,
            hasExtension,
            csrcCount,
            (b1 & 0x80) != 0,
            (byte)(b1 & 0x7F),
            BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2, 2)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(8, 4)),
            profile,
            extensionOffset,
            extensionLength,
            offset,
            packet.Length - offset - paddingLength,
            paddingLength);
        return true;
    }

    public static void WriteSequenceNumber(Span<byte> packet, ushort sequenceNumber) =>
        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(2, 2), sequenceNumber);

    public static void WriteTimestamp(Span<byte> packet, uint timestamp) =>
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(4, 4), timestamp);

    public static void WriteSsrc(Span<byte> packet, uint ssrc) =>
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(8, 4), ssrc);

    /// <summary>Writes the 7-bit payload type, keeping the marker bit.</summary>
    public static void WritePayloadType(Span<byte> packet, byte payloadType)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        packet[1] = (byte)((packet[1] & 0x80) | payloadType);
    }

    public static void WriteMarker(Span<byte> packet, bool marker) =>
        packet[1] = (byte)(marker ? packet[1] | 0x80 : packet[1] & 0x7F);

    /// <summary>
    /// Writes a 12-byte fixed header (no CSRC, no extension, no padding): a building block for
    /// packets the SFU originates (probes, tests). Returns 12, or -1 if <paramref name="dest"/> is too small.
    /// </summary>
    public static int WriteFixedHeader(
        Span<byte> dest, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc, bool marker = false)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        if (dest.Length < FixedHeaderLength)
        {
            return -1;
        }

        dest[0] = 0x80;
        dest[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        WriteSequenceNumber(dest, sequenceNumber);
        WriteTimestamp(dest, timestamp);
        WriteSsrc(dest, ssrc);
        return FixedHeaderLength;
    }
}
