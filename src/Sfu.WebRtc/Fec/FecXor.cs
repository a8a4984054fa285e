using System.Buffers.Binary;
using System.Numerics;

namespace Sfu.WebRtc.Fec;

/// <summary>
/// The XOR at the heart of FlexFEC (and ULPFEC, RFC 5109 §10.2): a FEC payload is the XOR of its protected packets,
/// so XOR-ing one more packet into it adds or removes that packet. A sender adds each packet once; a receiver
/// removes every packet it has and is left with the missing one; an SFU that rewrote a packet removes the
/// original and adds the rewrite, giving the FEC payload the sender would have made from the rewritten stream.
/// </summary>
public static class FecXor
{
    private const int RtpFixedHeader = 12;

    /// <summary>
    /// XORs RTP packet <paramref name="rtp"/> into the FlexFEC payload <paramref name="fec"/> (FEC header of
    /// <paramref name="headerLength"/> bytes, then the protected bytes): P/X/CC, M/PT, length - 12 and timestamp into
    /// the recovery fields, and everything after the packet's fixed header into the protected bytes. The FEC payload
    /// must already cover the packet (<see cref="CoveredLength"/>); false, changing nothing, when it does not.
    /// </summary>
    public static bool TryApply(Span<byte> fec, int headerLength, ReadOnlySpan<byte> rtp)
    {
        if (rtp.Length < RtpFixedHeader || headerLength < FlexFec03Header.MinLength || fec.Length < headerLength) return false;
        var body = rtp.Length - RtpFixedHeader;
        if (body > ushort.MaxValue || fec.Length - headerLength < body) return false;
        fec[0] ^= (byte)(rtp[0] & 0x3F);
        fec[1] ^= rtp[1];
        BinaryPrimitives.WriteUInt16BigEndian(fec[2..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(fec[2..]) ^ body));
        for (var i = 4; i < 8; i++) fec[i] ^= rtp[i];
        Xor(fec.Slice(headerLength, body), rtp[RtpFixedHeader..]);
        return true;
    }

    /// <summary>The FEC payload length needed to protect (or XOR) an RTP packet of <paramref name="rtpLength"/> bytes.</summary>
    public static int CoveredLength(int headerLength, int rtpLength) => headerLength + Math.Max(0, rtpLength - RtpFixedHeader);

    private static void Xor(Span<byte> into, ReadOnlySpan<byte> from)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var n = Vector<byte>.Count;
            for (; i + n <= from.Length; i += n)
                (new Vector<byte>(into[i..]) ^ new Vector<byte>(from[i..])).CopyTo(into[i..]);
        }
        for (; i < from.Length; i++) into[i] ^= from[i];
    }
}
