using System.Buffers.Binary;

namespace Sfu.E2E.Tests.Robustness;

/// <summary>Datagrams that look like a call's own DTLS, RTP and RTCP but come from someone else.</summary>
public static class ForgedPackets
{
    /// <summary>
    /// A DTLS record (RFC 6347 §4.1) of a random content type in the DTLS demux range 20-63; when it
    /// is a handshake, a ClientHello header (§4.2.2) with a random body.
    /// <code>
    /// | type u8 | version u16 | epoch u16 | sequence u48 | length u16 | fragment |
    /// </code>
    /// </summary>
    public static int Dtls(Span<byte> buffer, Random random)
    {
        var body = random.Next(12, 400);
        random.NextBytes(buffer[..(13 + body)]);
        buffer[0] = random.Next(4) == 0 ? (byte)random.Next(20, 64) : (byte)22;
        buffer[1] = 0xFE;
        buffer[2] = 0xFD;
        buffer[3] = 0;
        buffer[4] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[11..], (ushort)body);
        if (buffer[0] == 22)
        {
            buffer[13] = 1;
            buffer[14] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[15..], (ushort)(body - 12));
        }
        return 13 + body;
    }

    /// <summary>RTP (RFC 3550 §5.1) with a dynamic payload type, a real SSRC and a random payload.</summary>
    public static int Rtp(Span<byte> buffer, Random random, ushort sequence, uint ssrc)
    {
        var length = 12 + random.Next(1, 1200);
        random.NextBytes(buffer[..length]);
        buffer[0] = 0x80;
        buffer[1] = (byte)(random.Next(96, 128) | (random.Next(2) << 7));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], ssrc);
        return length;
    }

    /// <summary>A PLI (RFC 4585 §6.3.1) or a receiver report (RFC 3550 §6.4.2) about a real SSRC,
    /// followed by random bytes where an SRTCP trailer would be.</summary>
    public static int Rtcp(Span<byte> buffer, Random random, uint sender, uint media)
    {
        if (random.Next(2) == 0)
        {
            buffer[0] = 0x81;
            buffer[1] = 206;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 2);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], sender);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], media);
        }
        else
        {
            buffer[0] = 0x81;
            buffer[1] = 201;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 7);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], sender);
            random.NextBytes(buffer.Slice(8, 24));
            BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], media);
        }
        var length = 4 * (BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]) + 1);
        random.NextBytes(buffer.Slice(length, 14));
        return length + 14;
    }
}
