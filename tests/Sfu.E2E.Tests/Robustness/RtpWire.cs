using System.Buffers.Binary;

namespace Sfu.E2E.Tests.Robustness;

/// <summary>
/// Reads captured media datagrams the way an eavesdropper would. SRTP (RFC 3711 §3.1) leaves the RTP
/// header and its extensions in the clear and encrypts only the payload, so the header tells where
/// the payload starts, and a plaintext VP8 keyframe would show its start code at a fixed place there.
/// </summary>
public static class RtpWire
{
    /// <summary>The three bytes after a VP8 keyframe's frame tag (RFC 6386 §9.1).</summary>
    public static ReadOnlySpan<byte> Vp8StartCode => [0x9D, 0x01, 0x2A];

    /// <summary>First byte 128-191 is RTP or RTCP (RFC 7983 §7); RTCP packet types 192-223 put
    /// 64-95 in RTP's payload type bits (RFC 5761 §4).</summary>
    public static bool IsRtp(ReadOnlySpan<byte> d) =>
        d.Length >= 12 && d[0] is >= 128 and <= 191 && (d[1] & 0x7F) is not (>= 64 and <= 95);

    public static int PayloadType(ReadOnlySpan<byte> rtp) => rtp[1] & 0x7F;

    /// <summary>
    /// Where the payload starts: after the fixed header, the CSRCs and the header extension.
    /// <code>
    ///  0                   1                   2                   3
    /// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
    /// |                           timestamp                           |
    /// |           synchronization source (SSRC) identifier            |
    /// |            contributing source (CSRC) identifiers  (CC x)     |
    /// |      defined by profile       |           length              |   (if X, RFC 3550 §5.3.1)
    /// |                        header extension (length x 4 bytes)    |
    /// </code>
    /// </summary>
    public static bool TryPayloadOffset(ReadOnlySpan<byte> rtp, out int offset)
    {
        offset = 12 + 4 * (rtp[0] & 0x0F);
        if ((rtp[0] & 0x10) != 0)
        {
            if (rtp.Length < offset + 4) return false;
            offset += 4 + 4 * BinaryPrimitives.ReadUInt16BigEndian(rtp[(offset + 2)..]);
        }
        return offset <= rtp.Length;
    }

    /// <summary>
    /// True when a VP8 keyframe start code sits where the RTP payload would carry it in the clear:
    /// after the payload descriptor (RFC 7741 §4.2) and the 3-byte frame tag (§4.3). On SRTP the
    /// descriptor bytes are ciphertext too, so they are read as a plaintext packet's would be.
    /// <code>
    ///      |X|R|N|S|R| PID |      required
    ///  X:  |I|L|T|K| RSV   |
    ///  I:  |M| PictureID   |      (+1 byte if M)
    ///  L:  |   TL0PICIDX   |
    ///  T/K:|TID|Y| KEYIDX  |
    /// </code>
    /// </summary>
    /// <param name="payload">The RTP payload; for RTX (RFC 4588 §4) after the 2-byte original sequence number.</param>
    public static bool HasVp8StartCodeInClear(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 1) return false;
        var at = 1;
        if ((payload[0] & 0x80) != 0)
        {
            if (payload.Length < 2) return false;
            var x = payload[1];
            at = 2;
            if ((x & 0x80) != 0)
            {
                if (payload.Length <= at) return false;
                at += (payload[at] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) at++;
            if ((x & 0x30) != 0) at++;
        }
        at += 3;
        return payload.Length >= at + 3 && payload.Slice(at, 3).SequenceEqual(Vp8StartCode);
    }

    /// <summary>Shannon entropy in bits per byte of a byte histogram (8.0 for uniform random bytes).</summary>
    public static double EntropyBitsPerByte(ReadOnlySpan<long> histogram)
    {
        long total = 0;
        foreach (var c in histogram) total += c;
        if (total == 0) return 0;
        var bits = 0.0;
        foreach (var c in histogram)
        {
            if (c == 0) continue;
            var p = (double)c / total;
            bits -= p * Math.Log2(p);
        }
        return bits;
    }
}
