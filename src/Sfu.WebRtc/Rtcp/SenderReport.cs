using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtcp;

/// <summary>
/// Sender report (RFC 3550 §6.4.1).
/// </summary>
/// <remarks>
/// <code>
///        0                   1                   2                   3
///        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header|V=2|P|    RC   |   PT=SR=200   |             length            |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |                         SSRC of sender                        |
///       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// sender|              NTP timestamp, most significant word             |
/// info  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |             NTP timestamp, least significant word             |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |                         RTP timestamp                         |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |                     sender's packet count                     |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |                      sender's octet count                     |
///       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///       |                 report blocks (RC x 24 bytes)                 |
///       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///       |                  profile-specific extensions                  |
/// </code>
/// </remarks>
public readonly ref struct SenderReport
{
    private const int SenderInfoLength = 24;

    private SenderReport(ReadOnlySpan<byte> body, int reportCount)
    {
        Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body);
        NtpTimestamp = BinaryPrimitives.ReadUInt64BigEndian(body[4..]);
        RtpTimestamp = BinaryPrimitives.ReadUInt32BigEndian(body[12..]);
        PacketCount = BinaryPrimitives.ReadUInt32BigEndian(body[16..]);
        OctetCount = BinaryPrimitives.ReadUInt32BigEndian(body[20..]);
        var blocksEnd = SenderInfoLength + reportCount * ReportBlock.Length;
        ReportBlocks = new ReportBlockList(body[SenderInfoLength..blocksEnd]);
        ProfileExtensions = body[blocksEnd..];
    }

    public uint Ssrc { get; }

    /// <summary>64-bit NTP time: seconds since 1900 in the high word, fraction in the low word.</summary>
    public ulong NtpTimestamp { get; }

    public uint RtpTimestamp { get; }

    public uint PacketCount { get; }

    public uint OctetCount { get; }

    public ReportBlockList ReportBlocks { get; }

    public ReadOnlySpan<byte> ProfileExtensions { get; }

    /// <summary>The middle 32 bits of the NTP timestamp, as echoed in a report block's LSR (RFC 3550 §6.4.1).</summary>
    public uint CompactNtp => (uint)(NtpTimestamp >> 16);

    public static bool TryParse(ReadOnlySpan<byte> packet, out SenderReport report)
    {
        report = default;
        if (!RtcpHeader.TryGetBody(packet, RtcpPacketType.SR, out var header, out var body)
            || body.Length < SenderInfoLength + header.Count * ReportBlock.Length)
        {
            return false;
        }

        report = new SenderReport(body, header.Count);
        return true;
    }

    public static int GetLength(int reportBlockCount) => RtcpHeader.Length + SenderInfoLength + reportBlockCount * ReportBlock.Length;

    /// <summary>Writes an SR with up to 31 report blocks; returns bytes written or -1 if <paramref name="dest"/> is too small.</summary>
    public static int Write(
        Span<byte> dest, uint ssrc, ulong ntpTimestamp, uint rtpTimestamp, uint packetCount, uint octetCount,
        ReadOnlySpan<ReportBlock> reportBlocks = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reportBlocks.Length, 31);
        var length = GetLength(reportBlocks.Length);
        if (dest.Length < length)
        {
            return -1;
        }

        RtcpHeader.Write(dest, reportBlocks.Length, RtcpPacketType.SR, length);
        BinaryPrimitives.WriteUInt32BigEndian(dest[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(dest[8..], ntpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(dest[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(dest[20..], packetCount);
        BinaryPrimitives.WriteUInt32BigEndian(dest[24..], octetCount);
        ReportBlock.WriteAll(dest[28..], reportBlocks);
        return length;
    }
}
