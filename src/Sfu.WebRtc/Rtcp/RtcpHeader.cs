using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtcp;

/// <summary>
/// The common RTCP header (RFC 3550 §6.4.1, RFC 4585 §6.1).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| RC/FMT  |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// length is the packet length in 32-bit words minus one, header and padding included.
/// </remarks>
public readonly struct RtcpHeader
{
    public const int Length = 4;

    private RtcpHeader(bool padding, int count, byte packetType, int lengthBytes)
    {
        Padding = padding;
        Count = count;
        PacketType = packetType;
        LengthBytes = lengthBytes;
    }

    public bool Padding { get; }

    /// <summary>Reception report count, source count, or feedback message type (FMT), depending on the packet type.</summary>
    public int Count { get; }

    public byte PacketType { get; }

    /// <summary>The whole packet's length in bytes: (length field + 1) * 4.</summary>
    public int LengthBytes { get; }

    /// <summary>Parses the 4-byte header; it does not check that the packet is as long as the header claims.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpHeader header)
    {
        if (packet.Length < Length || packet[0] >> 6 != 2)
        {
            header = default;
            return false;
        }

        header = new RtcpHeader(
            (packet[0] & 0x20) != 0,
            packet[0] & 0x1F,
            packet[1],
            (BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2, 2)) + 1) * 4);
        return true;
    }

    /// <summary>Writes a header for a packet of <paramref name="lengthBytes"/> (a multiple of 4, at least 4). Returns 4 or -1.</summary>
    public static int Write(Span<byte> dest, int count, byte packetType, int lengthBytes, bool padding = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 31);
        if (lengthBytes < Length || lengthBytes % 4 != 0 || lengthBytes > 0x10000 * 4)
        {
            throw new ArgumentOutOfRangeException(nameof(lengthBytes), lengthBytes, "RTCP length must be a multiple of 4 in 4..262144.");
        }

        if (dest.Length < Length)
        {
            return -1;
        }

        dest[0] = (byte)(0x80 | (padding ? 0x20 : 0) | count);
        dest[1] = packetType;
        BinaryPrimitives.WriteUInt16BigEndian(dest.Slice(2, 2), (ushort)(lengthBytes / 4 - 1));
        return Length;
    }

    /// <summary>
    /// Checks <paramref name="packet"/> is one whole RTCP packet of <paramref name="packetType"/> and returns what
    /// follows the 4-byte header, padding removed (RFC 3550 §6.4.1: the last octet counts the padding, itself included).
    /// Bytes past the header's length are ignored, so a packet can be sliced from a compound one or passed alone.
    /// </summary>
    internal static bool TryGetBody(ReadOnlySpan<byte> packet, byte packetType, out RtcpHeader header, out ReadOnlySpan<byte> body)
    {
        body = default;
        if (!TryParse(packet, out header) || header.PacketType != packetType || header.LengthBytes > packet.Length)
        {
            return false;
        }

        var end = header.LengthBytes;
        if (header.Padding)
        {
            int paddingLength = packet[end - 1];
            if (paddingLength == 0 || paddingLength > end - Length)
            {
                return false;
            }

            end -= paddingLength;
        }

        body = packet[Length..end];
        return true;
    }

    /// <summary>As <see cref="TryGetBody"/>, also requiring the feedback message type <paramref name="format"/>.</summary>
    internal static bool TryGetFeedbackBody(ReadOnlySpan<byte> packet, byte packetType, int format, out ReadOnlySpan<byte> body) =>
        TryGetBody(packet, packetType, out var header, out body) && header.Count == format;
}
