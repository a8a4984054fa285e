using System.Buffers.Binary;
using Sfu.Streams.Recovery;
using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Tests.Recovery;

public class RtxPacketTests
{
    /// <summary>A packet with a CSRC, a one-byte extension block (mid "1"), marker set and optional padding.</summary>
    private static byte[] Original(int payloadLength, int padding = 0)
    {
        var packet = new byte[12 + 4 + 8 + payloadLength + padding];
        packet[0] = (byte)(0x80 | 0x10 | 0x01 | (padding > 0 ? 0x20 : 0));
        packet[1] = 0x80 | 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 0xBEEF);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 0x01020304);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x11111111);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), 0xC5C5C5C5);
        packet[16] = 0xBE;
        packet[17] = 0xDE;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(18), 1);
        packet[20] = 0x10;
        packet[21] = (byte)'1';
        for (var i = 0; i < payloadLength; i++) packet[24 + i] = (byte)(i * 7 + 1);
        if (padding > 0) packet[^1] = (byte)padding;
        return packet;
    }

    [Fact]
    public void Wrap_inserts_the_osn_and_rewrites_ssrc_sequence_and_payload_type()
    {
        var original = Original(10);
        var buffer = new byte[original.Length + 2];
        original.CopyTo(buffer, 0);
        Assert.True(RtxPacket.TryWrap(buffer, original.Length, 97, 0x22222222, 7, out var length));
        Assert.Equal(original.Length + 2, length);
        Assert.True(RtpHeader.TryParse(buffer.AsSpan(0, length), out var h));
        Assert.Equal(97, h.PayloadType);
        Assert.Equal(7, h.SequenceNumber);
        Assert.Equal(0x22222222u, h.Ssrc);
        Assert.True(h.Marker);
        Assert.Equal(0x01020304u, h.Timestamp);
        Assert.Equal(1, h.CsrcCount);
        Assert.Equal(0xBEEF, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(h.PayloadOffset)));
        Assert.Equal(original.AsSpan(24).ToArray(), buffer.AsSpan(h.PayloadOffset + 2, 10).ToArray());
    }

    [Fact]
    public void Restore_reads_a_hand_built_rtx_packet()
    {
        // RFC 4588 §4: RTX header (PT 97, its own seq and SSRC), then OSN 0x1234, then the original payload.
        byte[] rtx = [0x80, 0x80 | 97, 0x00, 0x05, 0, 0, 0x0B, 0xB8, 0xAA, 0xAA, 0xAA, 0xAA, 0x12, 0x34, 1, 2, 3];
        Assert.True(RtxPacket.TryRestore(rtx, 96, 0x01020304, out var length));
        Assert.Equal(15, length);
        Assert.True(RtpHeader.TryParse(rtx.AsSpan(0, length), out var h));
        Assert.Equal(0x1234, h.SequenceNumber);
        Assert.Equal(96, h.PayloadType);
        Assert.Equal(0x01020304u, h.Ssrc);
        Assert.Equal(3000u, h.Timestamp);
        Assert.True(h.Marker);
        Assert.Equal(new byte[] { 1, 2, 3 }, rtx.AsSpan(12, 3).ToArray());
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(100, 0)]
    [InlineData(1200, 0)]
    [InlineData(50, 4)]
    public void Wrap_then_restore_gives_back_the_original_without_padding(int payloadLength, int padding)
    {
        var original = Original(payloadLength, padding);
        var buffer = new byte[1500];
        original.CopyTo(buffer, 0);
        Assert.True(RtxPacket.TryWrap(buffer, original.Length, 97, 0x22222222, 65535, out var rtxLength));
        Assert.True(RtxPacket.TryRestore(buffer.AsSpan(0, rtxLength), 96, 0x11111111, out var length));
        var expected = original[..(original.Length - padding)];
        expected[0] &= 0xDF;
        Assert.Equal(expected, buffer[..length]);
    }

    [Fact]
    public void Padding_only_rtx_has_nothing_to_restore()
    {
        // A bandwidth probe: RTX SSRC and payload type, padding bit, no OSN.
        var probe = new byte[12 + 224];
        probe[0] = 0xA0;
        probe[1] = 97;
        probe[^1] = 224;
        Assert.True(RtpHeader.TryParse(probe, out var h));
        Assert.True(RtxPacket.IsPaddingOnly(h));
        Assert.False(RtxPacket.TryRestore(probe, 96, 1, out _));
        // An OSN with no payload after it restores nothing either.
        byte[] osnOnly = [0x80, 97, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0x12, 0x34];
        Assert.False(RtxPacket.TryRestore(osnOnly, 96, 1, out _));
    }

    [Fact]
    public void Wrap_needs_two_spare_bytes()
    {
        var original = Original(10);
        Assert.False(RtxPacket.TryWrap(original.AsSpan(), original.Length, 97, 1, 1, out _));
        var oneSpare = new byte[original.Length + 1];
        original.CopyTo(oneSpare, 0);
        Assert.False(RtxPacket.TryWrap(oneSpare, original.Length, 97, 1, 1, out _));
        Assert.Equal(original, oneSpare[..original.Length]);
    }

    [Fact]
    public void Random_and_truncated_input_never_throws()
    {
        var random = new Random(4588);
        var buffer = new byte[200];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(0, 160);
            random.NextBytes(buffer.AsSpan(0, length));
            if (i % 2 == 0 && length > 0) buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F));
            var copy = buffer.AsSpan(0, length).ToArray();
            if (RtxPacket.TryRestore(copy, 96, 1, out var restored)) Assert.InRange(restored, 12, length - 2);
            if (RtxPacket.TryWrap(buffer, length, 97, 1, 1, out var wrapped)) Assert.True(wrapped <= buffer.Length);
        }
    }
}
