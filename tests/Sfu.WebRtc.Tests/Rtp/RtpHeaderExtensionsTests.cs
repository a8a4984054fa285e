using Sfu.WebRtc.Rtp;
using static Sfu.WebRtc.Tests.Rtp.TestBytes;

namespace Sfu.WebRtc.Tests.Rtp;

public class RtpHeaderExtensionsTests
{
    private const string FixedHeader = "90 60 00 01 00 00 00 02 00 00 00 03";

    // RFC 8285 §4.2 figure: id 1 (L=0, 1 byte), id 2 (L=1, 2 bytes), two padding bytes, id 3 (L=3, 4 bytes).
    private static readonly byte[] OneByteExample = Hex(
        FixedHeader + "BE DE 00 03" + "10 AA 21 BB BB 00 00 33 CC CC CC CC" + "50 51 52");

    // RFC 8285 §4.3 figure: id 1 (L=0, empty), id 2 (L=1), a padding byte, id 3 (L=4).
    private static readonly byte[] TwoByteExample = Hex(
        FixedHeader + "10 00 00 03" + "01 00 02 01 BB 00 03 04 CC CC CC CC" + "50 51 52");

    private static byte[] Identity()
    {
        var map = new byte[256];
        for (var i = 0; i < 256; i++)
        {
            map[i] = (byte)i;
        }

        return map;
    }

    private static byte[] Find(byte[] packet, byte id)
    {
        Assert.True(RtpHeader.TryParse(packet, out var h));
        Assert.True(RtpHeaderExtensions.TryFind(packet, h, id, out var value), $"id {id} not found");
        return value.ToArray();
    }

    private static bool Has(byte[] packet, byte id)
    {
        Assert.True(RtpHeader.TryParse(packet, out var h));
        return RtpHeaderExtensions.TryFind(packet, h, id, out _);
    }

    [Fact]
    public void FindsOneByteElementsOfRfc8285Example()
    {
        Assert.True(RtpHeader.TryParse(OneByteExample, out var h));
        Assert.True(h.IsOneByteExtension);
        Assert.Equal(new byte[] { 0xAA }, Find(OneByteExample, 1));
        Assert.Equal(new byte[] { 0xBB, 0xBB }, Find(OneByteExample, 2));
        Assert.Equal(new byte[] { 0xCC, 0xCC, 0xCC, 0xCC }, Find(OneByteExample, 3));
        Assert.False(Has(OneByteExample, 4));
        Assert.False(Has(OneByteExample, 0));
        Assert.Equal(3, h.PayloadLength);
    }

    [Fact]
    public void FindsTwoByteElementsOfRfc8285Example()
    {
        Assert.True(RtpHeader.TryParse(TwoByteExample, out var h));
        Assert.True(h.IsTwoByteExtension);
        Assert.Empty(Find(TwoByteExample, 1));
        Assert.Equal(new byte[] { 0xBB }, Find(TwoByteExample, 2));
        Assert.Equal(new byte[] { 0xCC, 0xCC, 0xCC, 0xCC }, Find(TwoByteExample, 3));
        Assert.False(Has(TwoByteExample, 4));
    }

    [Fact]
    public void EnumeratesElementsInOrder()
    {
        Assert.True(RtpHeader.TryParse(OneByteExample, out var h));
        var ids = new List<int>();
        foreach (var element in RtpHeaderExtensions.Enumerate(OneByteExample, h))
        {
            ids.Add(element.Id);
        }

        Assert.Equal([1, 2, 3], ids);
    }

    [Fact]
    public void OneByteIdFifteenStopsProcessing()
    {
        var packet = Hex(FixedHeader + "BE DE 00 02" + "10 AA F0 20 BB 00 00 00");
        Assert.Equal(new byte[] { 0xAA }, Find(packet, 1));
        Assert.False(Has(packet, 2));
    }

    [Fact]
    public void ElementOverrunningTheBlockIsNotReturned()
    {
        var packet = Hex(FixedHeader + "BE DE 00 01" + "10 AA 23 BB");
        Assert.Equal(new byte[] { 0xAA }, Find(packet, 1));
        Assert.False(Has(packet, 2));
        Assert.True(RtpHeader.TryParse(packet, out var h));
        var enumerator = RtpHeaderExtensions.Enumerate(packet, h);
        Assert.True(enumerator.MoveNext());
        Assert.False(enumerator.MoveNext());
        Assert.True(enumerator.Malformed);
    }

    [Fact]
    public void UnknownProfileHasNoElements()
    {
        var packet = Hex(FixedHeader + "AB CD 00 01" + "10 AA 00 00");
        Assert.False(Has(packet, 1));
    }

    [Fact]
    public void RewriteRemapsDropsAndAppendsInOneByteForm()
    {
        var map = new byte[256];
        map[1] = 5;
        map[2] = 0;
        map[3] = 3;
        var dest = new byte[100];
        Assert.True(RtpHeader.TryParse(OneByteExample, out var h));
        var written = RtpHeaderExtensions.Rewrite(OneByteExample, h, map, 4, [0x12, 0x34], dest);
        var output = dest[..written];

        // 12 fixed + 4 ext header + (1+1) + (1+4) + (1+2) = 10 -> 12 padded + 3 payload
        Assert.Equal(12 + 4 + 12 + 3, written);
        Assert.True(RtpHeader.TryParse(output, out var o));
        Assert.True(o.IsOneByteExtension);
        Assert.Equal(new byte[] { 0xAA }, Find(output, 5));
        Assert.Equal(new byte[] { 0xCC, 0xCC, 0xCC, 0xCC }, Find(output, 3));
        Assert.Equal(new byte[] { 0x12, 0x34 }, Find(output, 4));
        Assert.False(Has(output, 1));
        Assert.False(Has(output, 2));
        Assert.Equal(new byte[] { 0x50, 0x51, 0x52 }, output.AsSpan(o.PayloadOffset, o.PayloadLength).ToArray());
        Assert.Equal(OneByteExample[1..12], output[1..12]);
    }

    [Fact]
    public void RewriteSwitchesToTwoByteForLargeIds()
    {
        var map = Identity();
        map[3] = 200;
        var dest = new byte[100];
        Assert.True(RtpHeader.TryParse(OneByteExample, out var h));
        var written = RtpHeaderExtensions.Rewrite(OneByteExample, h, map, 0, default, dest);
        var output = dest[..written];
        Assert.True(RtpHeader.TryParse(output, out var o));
        Assert.True(o.IsTwoByteExtension);
        Assert.Equal(0x1000, o.ExtensionProfile);
        Assert.Equal(new byte[] { 0xAA }, Find(output, 1));
        Assert.Equal(new byte[] { 0xBB, 0xBB }, Find(output, 2));
        Assert.Equal(new byte[] { 0xCC, 0xCC, 0xCC, 0xCC }, Find(output, 200));
        Assert.Equal(3, o.PayloadLength);
    }

    [Fact]
    public void RewriteSwitchesToTwoByteForAppendedLongOrEmptyValues()
    {
        Assert.True(RtpHeader.TryParse(OneByteExample, out var h));
        var dest = new byte[200];
        var written = RtpHeaderExtensions.Rewrite(OneByteExample, h, Identity(), 9, new byte[17], dest);
        Assert.True(RtpHeader.TryParse(dest.AsSpan(0, written), out var o));
        Assert.True(o.IsTwoByteExtension);
        Assert.Equal(17, Find(dest[..written], 9).Length);

        written = RtpHeaderExtensions.Rewrite(OneByteExample, h, Identity(), 9, default, dest);
        Assert.True(RtpHeader.TryParse(dest.AsSpan(0, written), out o));
        Assert.True(o.IsTwoByteExtension);
        Assert.Empty(Find(dest[..written], 9));
    }

    [Fact]
    public void RewriteGoesBackToOneByteWhenTwoByteOnlyElementIsDropped()
    {
        var map = Identity();
        map[1] = 0; // the empty value that needed the two-byte form
        var dest = new byte[100];
        Assert.True(RtpHeader.TryParse(TwoByteExample, out var h));
        var written = RtpHeaderExtensions.Rewrite(TwoByteExample, h, map, 0, default, dest);
        var output = dest[..written];
        Assert.True(RtpHeader.TryParse(output, out var o));
        Assert.True(o.IsOneByteExtension);
        Assert.Equal(new byte[] { 0xBB }, Find(output, 2));
        Assert.Equal(new byte[] { 0xCC, 0xCC, 0xCC, 0xCC }, Find(output, 3));
        Assert.Equal(8, o.ExtensionLength);
    }

    [Fact]
    public void RewriteAddsExtensionToPacketWithoutOne()
    {
        var packet = Hex("80 60 00 01 00 00 00 02 00 00 00 03 01 02 03 00 00 02");
        packet[0] |= 0x20; // padding: the last two bytes
        var dest = new byte[64];
        Assert.True(RtpHeader.TryParse(packet, out var h));
        var written = RtpHeaderExtensions.Rewrite(packet, h, Identity(), 3, [0xAB, 0xCD], dest);
        Assert.Equal(packet.Length + 8, written);
        var output = dest[..written];
        Assert.True(RtpHeader.TryParse(output, out var o));
        Assert.True(o.HasExtension);
        Assert.True(o.Padding);
        Assert.Equal(2, o.PaddingLength);
        Assert.Equal(4, o.PayloadLength);
        Assert.Equal(new byte[] { 0xAB, 0xCD }, Find(output, 3));
    }

    [Fact]
    public void RewriteDroppingEverythingClearsTheExtensionBit()
    {
        var dest = new byte[64];
        Assert.True(RtpHeader.TryParse(OneByteExample, out var h));
        var written = RtpHeaderExtensions.Rewrite(OneByteExample, h, new byte[256], 0, default, dest);
        Assert.Equal(15, written);
        Assert.True(RtpHeader.TryParse(dest.AsSpan(0, written), out var o));
        Assert.False(o.HasExtension);
        Assert.Equal(12, o.HeaderLength);
        Assert.Equal(new byte[] { 0x50, 0x51, 0x52 }, dest[12..15]);
    }

    [Fact]
    public void AppendReplacesAnElementMappedToTheSameId()
    {
        var dest = new byte[64];
        Assert.True(RtpHeader.TryParse(OneByteExample, out var h));
        var written = RtpHeaderExtensions.Rewrite(OneByteExample, h, Identity(), 2, [0x77, 0x88], dest);
        var output = dest[..written];
        Assert.Equal(new byte[] { 0x77, 0x88 }, Find(output, 2));
        Assert.True(RtpHeader.TryParse(output, out var o));
        var count = 0;
        foreach (var e in RtpHeaderExtensions.Enumerate(output, o))
        {
            count += e.Id == 2 ? 1 : 0;
        }

        Assert.Equal(1, count);
    }

    [Fact]
    public void RewriteReportsTooSmallDestination()
    {
        Assert.True(RtpHeader.TryParse(OneByteExample, out var h));
        var exact = RtpHeaderExtensions.Rewrite(OneByteExample, h, Identity(), 4, [1, 2], new byte[100]);
        Assert.Equal(-1, RtpHeaderExtensions.Rewrite(OneByteExample, h, Identity(), 4, [1, 2], new byte[exact - 1]));
        Assert.Equal(exact, RtpHeaderExtensions.Rewrite(OneByteExample, h, Identity(), 4, [1, 2], new byte[exact]));
    }

    [Fact]
    public void RewriteKeepsCsrcs()
    {
        var packet = Hex("91 60 00 01 00 00 00 02 00 00 00 03 CA FE BA BE BE DE 00 01 10 AA 00 00 09");
        Assert.True(RtpHeader.TryParse(packet, out var h));
        var dest = new byte[64];
        var written = RtpHeaderExtensions.Rewrite(packet, h, Identity(), 0, default, dest);
        Assert.True(RtpHeader.TryParse(dest.AsSpan(0, written), out var o));
        Assert.Equal(0xCAFEBABEu, o.GetCsrc(dest, 0));
        Assert.Equal(new byte[] { 0xAA }, Find(dest[..written], 1));
        Assert.Equal(9, dest[written - 1]);
    }
}
