using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtcp;

/// <summary>
/// Receiver report (RFC 3550 §6.4.2).
/// </summary>
/// <remarks>
/// <code>
///        0                   1                   2                   3
///        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header|V=2|P|    RC   |   PT=RR=201   |             length            |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |                     SSRC of packet sender                     |
///       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///       |                 report blocks (RC x 24 bytes)                 |
///       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///       |                  profile-specific extensions                  |
/// </code>
/// </remarks>
public readonly ref struct ReceiverReport
{
    private ReceiverReport(ReadOnlySpan<byte> body, int reportCount)
    {
        Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body);
        var blocksEnd = 4 + reportCount * ReportBlock.Length;
        ReportBlocks = new ReportBlockList(body[4..blocksEnd]);
        ProfileExtensions = body[blocksEnd..];
    }

    public uint Ssrc { get; }

    public ReportBlockList ReportBlocks { get; }

    public ReadOnlySpan<byte> ProfileExtensions { get; }

    public static bool TryParse(ReadOnlySpan<byte> packet, out ReceiverReport report)
    {
        report = default;
        if (!RtcpHeader.TryGetBody(packet, RtcpPacketType.RR, out var header, out var body)
            || body.Length < 4 + header.Count * ReportBlock.Length)
        {
            return false;
        }

        report = new ReceiverReport(body, header.Count);
        return true;
    }

    public static int GetLength(int reportBlockCount) => RtcpHeader.Length + 4 + reportBlockCount * ReportBlock.Length;

    /// <summary>Writes an RR with up to 31 report blocks; returns bytes written or -1 if <paramref name="dest"/> is too small.</summary>
    public static int Write(Span<byte> dest, uint ssrc, ReadOnlySpan<ReportBlock> reportBlocks = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reportBlocks.Length, 31);
        var length = GetLength(reportBlocks.Length);
        if (dest.Length < length)
        {
            return -1;
        }

        RtcpHeader.Write(dest, reportBlocks.Length, RtcpPacketType.RR, length);
        BinaryPrimitives.WriteUInt32BigEndian(dest[4..], ssrc);
        ReportBlock.WriteAll(dest[8..], reportBlocks);
        return length;
    }
}
