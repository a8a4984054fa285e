using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtcp;

/// <summary>
/// Goodbye (RFC 3550 §6.6).
/// </summary>
/// <remarks>
/// <code>
///        0                   1                   2                   3
///        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |V=2|P|    SC   |   PT=BYE=203  |             length            |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |                           SSRC/CSRC                           |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       :                              ...                              :
///       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// (opt) |     length    |               reason for leaving            ...
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct Bye
{
    private Bye(SsrcList ssrcs, ReadOnlySpan<byte> reason)
    {
        Ssrcs = ssrcs;
        Reason = reason;
    }

    public SsrcList Ssrcs { get; }

    /// <summary>The optional UTF-8 reason; empty when absent.</summary>
    public ReadOnlySpan<byte> Reason { get; }

    public static bool TryParse(ReadOnlySpan<byte> packet, out Bye bye)
    {
        bye = default;
        if (!RtcpHeader.TryGetBody(packet, RtcpPacketType.BYE, out var header, out var body))
        {
            return false;
        }

        var ssrcBytes = header.Count * 4;
        if (body.Length < ssrcBytes)
        {
            return false;
        }

        ReadOnlySpan<byte> reason = default;
        if (body.Length > ssrcBytes)
        {
            int reasonLength = body[ssrcBytes];
            if (ssrcBytes + 1 + reasonLength > body.Length)
            {
                return false;
            }

            reason = body.Slice(ssrcBytes + 1, reasonLength);
        }

        bye = new Bye(new SsrcList(body[..ssrcBytes]), reason);
        return true;
    }

    public static int GetLength(int ssrcCount, int reasonLength) =>
        RtcpHeader.Length + ssrcCount * 4 + (reasonLength == 0 ? 0 : (1 + reasonLength + 3) & ~3);

    /// <summary>Writes a BYE for up to 31 sources, with an optional reason of at most 255 bytes.</summary>
    public static int Write(Span<byte> dest, ReadOnlySpan<uint> ssrcs, ReadOnlySpan<byte> reason = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ssrcs.Length, 31);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reason.Length, 255);
        var length = GetLength(ssrcs.Length, reason.Length);
        if (dest.Length < length)
        {
            return -1;
        }

        dest[..length].Clear();
        RtcpHeader.Write(dest, ssrcs.Length, RtcpPacketType.BYE, length);
        var offset = RtcpHeader.Length;
        foreach (var ssrc in ssrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(dest[offset..], ssrc);
            offset += 4;
        }

        if (!reason.IsEmpty)
        {
            dest[offset] = (byte)reason.Length;
            reason.CopyTo(dest[(offset + 1)..]);
        }

        return length;
    }
}
