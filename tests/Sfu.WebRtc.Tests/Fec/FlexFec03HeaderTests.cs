using Sfu.WebRtc.Fec;

namespace Sfu.WebRtc.Tests.Fec;

public class FlexFec03HeaderTests
{
    // Built by hand from the draft-03 layout: SSRCCount 1, SSRC 0x11223344, SN base 1000, k0 set, mask bits 0, 1, 3.
    private static readonly byte[] ShortMask =
    [
        0x00, 0x60, 0x04, 0xD2, 0xAA, 0xBB, 0xCC, 0xDD,
        0x01, 0x00, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44,
        0x03, 0xE8, 0x80 | 0x68, 0x00, 0xFF, 0xFE,
    ];

    [Fact]
    public void Reads_a_short_mask_header()
    {
        Assert.True(FlexFec03Header.TryParse(ShortMask, out var h));
        Assert.Equal(0x11223344u, h.ProtectedSsrc);
        Assert.Equal((ushort)1000, h.SequenceBase);
        Assert.Equal(20, h.Length);
        Assert.Equal(0x04D2, h.LengthRecovery);
        Assert.Equal([0, 1, 3], Enumerable.Range(0, 120).Where(h.Protects));
    }

    [Theory]
    [InlineData(new[] { 0, 14 }, 20)]
    [InlineData(new[] { 0, 15 }, 24)]
    [InlineData(new[] { 2, 30, 45 }, 24)]
    [InlineData(new[] { 46 }, 32)]
    [InlineData(new[] { 0, 15, 46, 77, 108 }, 32)]
    public void Written_masks_read_back(int[] offsets, int length)
    {
        var buf = new byte[40];
        Assert.True(FlexFec03Header.TryWrite(buf, 7, 65530, offsets, out var written));
        Assert.Equal(length, written);
        Assert.True(FlexFec03Header.TryParse(buf.AsSpan(0, written), out var h));
        Assert.Equal(length, h.Length);
        Assert.Equal(offsets, Enumerable.Range(0, 120).Where(h.Protects));
        Assert.Equal(7u, h.ProtectedSsrc);
        Assert.Equal((ushort)65530, h.SequenceBase);
    }

    [Fact]
    public void Write_refuses_offsets_beyond_the_mask()
    {
        Assert.False(FlexFec03Header.TryWrite(new byte[40], 1, 0, [109], out _));
        Assert.False(FlexFec03Header.TryWrite(new byte[19], 1, 0, [0], out _));
    }

    [Fact]
    public void Refuses_what_chromium_does_not_send()
    {
        var r = (byte[])ShortMask.Clone();
        r[0] |= 0x80;
        Assert.False(FlexFec03Header.TryParse(r, out _));
        var f = (byte[])ShortMask.Clone();
        f[0] |= 0x40;
        Assert.False(FlexFec03Header.TryParse(f, out _));
        var two = (byte[])ShortMask.Clone();
        two[8] = 2;
        Assert.False(FlexFec03Header.TryParse(two, out _));
        // No k bit set anywhere: the mask never ends.
        var open = new byte[40];
        open[8] = 1;
        Assert.False(FlexFec03Header.TryParse(open, out _));
    }

    [Fact]
    public void Truncated_and_random_input_returns_false_or_a_consistent_header()
    {
        var rng = new Random(6);
        var buf = new byte[64];
        for (var n = 0; n < 20000; n++)
        {
            var len = rng.Next(0, buf.Length + 1);
            rng.NextBytes(buf);
            if (n % 2 == 0) { buf[0] &= 0x3F; buf[8] = 1; buf[9] = buf[10] = buf[11] = 0; }
            if (FlexFec03Header.TryParse(buf.AsSpan(0, len), out var h))
            {
                Assert.True(h.Length <= len);
                Assert.Contains(h.Length, new[] { 20, 24, 32 });
            }
        }
        for (var len = 0; len < ShortMask.Length; len++)
            Assert.Equal(len >= 20, FlexFec03Header.TryParse(ShortMask.AsSpan(0, len), out _));
    }

    [Fact]
    public void WriteProtected_changes_only_ssrc_and_base()
    {
        var buf = (byte[])ShortMask.Clone();
        FlexFec03Header.WriteProtected(buf, 0xCAFEBABE, 65535);
        Assert.True(FlexFec03Header.TryParse(buf, out var h));
        Assert.Equal(0xCAFEBABEu, h.ProtectedSsrc);
        Assert.Equal((ushort)65535, h.SequenceBase);
        Assert.Equal(ShortMask.AsSpan(18).ToArray(), buf.AsSpan(18).ToArray());
        Assert.Equal(ShortMask.AsSpan(0, 12).ToArray(), buf.AsSpan(0, 12).ToArray());
    }
}
