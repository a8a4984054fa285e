using Sfu.WebRtc.Rtp;

namespace Sfu.WebRtc.Tests.Rtp;

public class RedPayloadTests
{
    /// <summary>
    /// The payload of RFC 2198 §3's example: a redundant LPC block (PT 7, 14 bytes) before a primary DVI4 block
    /// (PT 5, 84 bytes). The figure leaves the offset open; 160 (20 ms at 8 kHz) is what such a sender would use.
    /// </summary>
    private static byte[] Rfc2198Example()
    {
        var payload = new byte[4 + 1 + 14 + 84];
        // F=1, PT=7 | timestamp offset 160 (14 bits) | block length 14 (10 bits)
        var word = (1u << 31) | (7u << 24) | (160u << 10) | 14u;
        payload[0] = (byte)(word >> 24);
        payload[1] = (byte)(word >> 16);
        payload[2] = (byte)(word >> 8);
        payload[3] = (byte)word;
        payload[4] = 5;
        for (var i = 0; i < 14; i++) payload[5 + i] = 0x77;
        for (var i = 0; i < 84; i++) payload[19 + i] = 0x55;
        return payload;
    }

    [Fact]
    public void Rfc2198_example_reads_a_redundant_block_then_the_primary()
    {
        var payload = Rfc2198Example();
        Span<RedBlock> blocks = stackalloc RedBlock[4];
        Assert.True(RedPayload.TryReadBlocks(payload, blocks, out var count));
        Assert.Equal(2, count);
        Assert.Equal(new RedBlock(7, 160, 0, 5, 14), blocks[0]);
        Assert.Equal(new RedBlock(5, 0, 4, 19, 84), blocks[1]);
        Assert.All(payload.AsSpan(blocks[0].DataOffset, blocks[0].Length).ToArray(), b => Assert.Equal(0x77, b));
        Assert.True(RedPayload.TryGetPrimary(payload, out var primary));
        Assert.Equal(blocks[1], primary);
        Assert.All(payload.AsSpan(primary.DataOffset, primary.Length).ToArray(), b => Assert.Equal(0x55, b));
    }

    [Fact]
    public void A_payload_with_only_the_primary_has_a_one_byte_header()
    {
        // Chrome's first RED packet of a stream has nothing redundant yet.
        byte[] payload = [111, 0xFC, 0x01, 0x02];
        Assert.True(RedPayload.TryGetPrimary(payload, out var primary));
        Assert.Equal(new RedBlock(111, 0, 0, 1, 3), primary);
    }

    [Fact]
    public void Block_lengths_beyond_the_payload_and_missing_headers_are_rejected()
    {
        var payload = Rfc2198Example();
        Assert.False(RedPayload.TryGetPrimary(payload.AsSpan(0, 3), out _));
        Assert.False(RedPayload.TryGetPrimary(payload.AsSpan(0, 4), out _));
        // The redundant block claims 14 bytes; cut into it.
        Assert.False(RedPayload.TryGetPrimary(payload.AsSpan(0, 10), out _));
        Assert.False(RedPayload.TryGetPrimary([], out _));
        // Every header says "more follow": no primary.
        Assert.False(RedPayload.TryGetPrimary(Enumerable.Repeat((byte)0x80, 80).ToArray(), out _));
        Span<RedBlock> one = stackalloc RedBlock[1];
        Assert.False(RedPayload.TryReadBlocks(payload, one, out _));
    }

    [Fact]
    public void Mapping_the_payload_type_rewrites_every_block_of_that_type_only()
    {
        byte[] payload = [0x80 | 109, 0x00, 0x04, 0x03, 0x80 | 13, 0x00, 0x00, 0x01, 109, 1, 2, 3, 9, 4, 5];
        Assert.True(RedPayload.TryMapPayloadType(payload, 109, 111));
        Assert.Equal(0x80 | 111, payload[0]);
        Assert.Equal(0x80 | 13, payload[4]);
        Assert.Equal(111, payload[8]);
        Assert.Equal(new byte[] { 1, 2, 3, 9, 4, 5 }, payload[9..]);
    }

    [Fact]
    public void Random_and_truncated_payloads_never_throw()
    {
        var random = new Random(2198);
        Span<RedBlock> blocks = stackalloc RedBlock[RedPayload.MaxBlocks + 1];
        for (var i = 0; i < 20000; i++)
        {
            var data = new byte[random.Next(0, 80)];
            random.NextBytes(data);
            if (i % 3 == 0 && data.Length > 0) data[0] &= 0x7F;
            if (RedPayload.TryGetPrimary(data, out var primary))
            {
                Assert.InRange(primary.DataOffset + primary.Length, 0, data.Length);
                Assert.True(RedPayload.TryReadBlocks(data, blocks, out var count));
                for (var b = 0; b < count; b++) Assert.InRange(blocks[b].DataOffset + blocks[b].Length, 0, data.Length);
            }
            RedPayload.TryMapPayloadType(data, 111, 63);
        }
    }
}
