using System.Buffers.Binary;

namespace Sfu.WebRtc.Fec;

/// <summary>The protected packets a FlexFEC receiver holds, looked up by their 16-bit sequence number.</summary>
public interface IFecPacketSource
{
    /// <summary>
    /// The packet as it was sent (the bytes the FEC protected); false when it is missing. True with an empty packet:
    /// received, but not as sent (e.g. restored from a retransmission with other header extensions).
    /// </summary>
    bool TryGet(ushort sequence, out ReadOnlySpan<byte> packet);
}

/// <summary>What <see cref="FlexFecDecoder.TryRecover{TSource}"/> found.</summary>
public enum FecRecoveryResult
{
    /// <summary>The one missing packet was rebuilt.</summary>
    Recovered,
    /// <summary>Every protected packet is held: the FEC packet repairs nothing.</summary>
    NothingMissing,
    /// <summary>Two or more protected packets are missing: one XOR cannot rebuild them.</summary>
    TooManyMissing,
    /// <summary>A protected packet is held, but not as it was sent (the source gave it empty): the XOR would be wrong.</summary>
    Unusable,
    /// <summary>A malformed FEC header, or a held packet longer than the FEC payload covers or of another SSRC.</summary>
    Invalid,
}

/// <summary>
/// Receiver-side FlexFEC recovery (draft-ietf-payload-flexible-fec-scheme-03 §6.3.2, as libwebrtc's
/// ForwardErrorCorrection::RecoverPacket does it): XOR every held protected packet out of the FEC payload and what is
/// left is the one missing packet's header fields and bytes after the fixed header. The rebuilt packet is the one the
/// sender sent, byte for byte (header extensions included), so it can be forwarded and protected again like any other.
/// </summary>
public static class FlexFecDecoder
{
    private const int RtpFixedHeader = 12;

    /// <param name="fecPayload">The FEC packet's RTP payload: FlexFEC header, then the XOR of the protected bytes.</param>
    /// <param name="work">Scratch room at least as long as <paramref name="fecPayload"/>.</param>
    /// <param name="recovered">Where the rebuilt RTP packet goes (may be the FEC packet's own buffer: the payload is copied to <paramref name="work"/> first).</param>
    /// <param name="length">The rebuilt packet's length.</param>
    /// <param name="sequence">Its sequence number.</param>
    public static FecRecoveryResult TryRecover<TSource>(ReadOnlySpan<byte> fecPayload, TSource packets, Span<byte> work, Span<byte> recovered,
        out int length, out ushort sequence) where TSource : IFecPacketSource
    {
        length = 0;
        sequence = 0;
        if (!FlexFec03Header.TryParse(fecPayload, out var h) || work.Length < fecPayload.Length) return FecRecoveryResult.Invalid;
        var missing = -1;
        for (var i = 0; i < h.MaskBits; i++)
        {
            if (!h.Protects(i) || packets.TryGet((ushort)(h.SequenceBase + i), out _)) continue;
            if (missing >= 0) return FecRecoveryResult.TooManyMissing;
            missing = i;
        }
        if (missing < 0) return FecRecoveryResult.NothingMissing;

        var fec = work[..fecPayload.Length];
        fecPayload.CopyTo(fec);
        for (var i = 0; i < h.MaskBits; i++)
        {
            if (i == missing || !h.Protects(i)) continue;
            packets.TryGet((ushort)(h.SequenceBase + i), out var p);
            if (p.IsEmpty) return FecRecoveryResult.Unusable;
            if (p.Length < RtpFixedHeader || BinaryPrimitives.ReadUInt32BigEndian(p[8..]) != h.ProtectedSsrc) return FecRecoveryResult.Invalid;
            if (!FecXor.TryApply(fec, h.Length, p)) return FecRecoveryResult.Invalid;
        }
        var body = BinaryPrimitives.ReadUInt16BigEndian(fec[2..]);
        if (h.Length + body > fec.Length || RtpFixedHeader + body > recovered.Length) return FecRecoveryResult.Invalid;
        sequence = (ushort)(h.SequenceBase + missing);
        // Header fields first, from the XOR (P, X, CC, M, PT, timestamp) and the FEC header (SSRC, sequence number).
        Span<byte> header = stackalloc byte[RtpFixedHeader];
        header[0] = (byte)(0x80 | (fec[0] & 0x3F));
        header[1] = fec[1];
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], sequence);
        fec.Slice(4, 4).CopyTo(header[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(header[8..], h.ProtectedSsrc);
        header.CopyTo(recovered);
        fec.Slice(h.Length, body).CopyTo(recovered[RtpFixedHeader..]);
        length = RtpFixedHeader + body;
        return FecRecoveryResult.Recovered;
    }
}
