using System.Buffers.Binary;
using Sfu.WebRtc.Fec;

namespace Sfu.WebRtc.Tests.Fec;

/// <summary>A FlexFEC-03 sender and receiver written for tests, the way libwebrtc's ForwardErrorCorrection works.</summary>
public static class TestFlexFec
{
    /// <summary>Builds an RTP packet with a one-byte-header extension block holding <paramref name="extension"/>.</summary>
    public static byte[] Rtp(byte pt, ushort seq, uint ts, uint ssrc, bool marker, ReadOnlySpan<byte> extension, ReadOnlySpan<byte> payload)
    {
        var extWords = extension.IsEmpty ? 0 : (extension.Length + 3) / 4;
        var buf = new byte[12 + (extension.IsEmpty ? 0 : 4 + extWords * 4) + payload.Length];
        buf[0] = (byte)(0x80 | (extension.IsEmpty ? 0 : 0x10));
        buf[1] = (byte)((marker ? 0x80 : 0) | pt);
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(4), ts);
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(8), ssrc);
        var o = 12;
        if (!extension.IsEmpty)
        {
            buf[12] = 0xBE;
            buf[13] = 0xDE;
            BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(14), (ushort)extWords);
            extension.CopyTo(buf.AsSpan(16));
            o = 16 + extWords * 4;
        }
        payload.CopyTo(buf.AsSpan(o));
        return buf;
    }

    /// <summary>The FlexFEC RTP payload (FEC header + XOR) protecting <paramref name="packets"/>, numbered from <paramref name="seqBase"/>.</summary>
    public static byte[] Protect(uint ssrc, ushort seqBase, IReadOnlyList<byte[]> packets)
    {
        var offsets = packets.Select(p => (int)(ushort)(BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)) - seqBase)).ToArray();
        var header = new byte[32];
        Assert.True(FlexFec03Header.TryWrite(header, ssrc, seqBase, offsets, out var hl));
        var fec = new byte[FecXor.CoveredLength(hl, packets.Max(p => p.Length))];
        header.AsSpan(0, hl).CopyTo(fec);
        foreach (var p in packets) Assert.True(FecXor.TryApply(fec, hl, p));
        return fec;
    }

    /// <summary>Receiver-side recovery with <see cref="FlexFecDecoder"/>; null when it rebuilt nothing.</summary>
    public static byte[]? Recover(ReadOnlySpan<byte> fecPayload, IReadOnlyDictionary<ushort, byte[]> received) =>
        FecReceived.Recover(fecPayload, received);
}
