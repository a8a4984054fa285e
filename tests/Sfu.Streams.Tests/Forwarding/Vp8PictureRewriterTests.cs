using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Codecs;

namespace Sfu.Streams.Tests.Forwarding;

public class Vp8PictureRewriterTests
{
    /// <summary>A VP8 payload with X=1, I=1 (7 or 15-bit picture id), L=1 (TL0PICIDX) and T=1.</summary>
    public static byte[] Payload(int pictureId, byte tl0, bool longId = true, bool start = true)
    {
        var p = new List<byte> { (byte)(0x80 | (start ? 0x10 : 0)), 0xE0 };
        if (longId)
        {
            p.Add((byte)(0x80 | (pictureId >> 8) & 0x7F));
            p.Add((byte)pictureId);
        }
        else p.Add((byte)(pictureId & 0x7F));
        p.Add(tl0);
        p.Add(0x20);
        p.AddRange(new byte[10]);
        return p.ToArray();
    }

    private static (int Pid, int Tl0) Read(byte[] payload)
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out var d));
        return (d.PictureId, d.Tl0PicIdx);
    }

    [Fact]
    public void First_source_is_kept_as_is()
    {
        var r = new Vp8PictureRewriter();
        var p = Payload(1234, 77);
        Assert.True(r.Rewrite(p));
        Assert.Equal((1234, 77), Read(p));
    }

    [Fact]
    public void After_restart_numbering_continues_from_the_last_picture()
    {
        var r = new Vp8PictureRewriter();
        foreach (var pid in new[] { 32766, 32767, 0 })
            r.Rewrite(Payload(pid, (byte)pid));
        r.Restart();
        var a = Payload(500, 9);
        r.Rewrite(a);
        Assert.Equal((1, 1), Read(a));
        var b = Payload(501, 10);
        r.Rewrite(b);
        Assert.Equal((2, 2), Read(b));
        // A late packet of an older picture of the new source keeps its place and does not move "last".
        var late = Payload(500, 9, start: false);
        r.Rewrite(late);
        Assert.Equal((1, 1), Read(late));
        Assert.Equal(2, r.LastPictureId);
    }

    [Fact]
    public void Seven_bit_picture_ids_wrap_at_128()
    {
        var r = new Vp8PictureRewriter();
        r.Rewrite(Payload(127, 255, longId: false));
        r.Restart();
        var p = Payload(40, 3, longId: false);
        r.Rewrite(p);
        Assert.Equal((0, 0), Read(p));
    }

    [Fact]
    public void Non_vp8_payloads_are_left_alone()
    {
        var r = new Vp8PictureRewriter();
        Assert.False(r.Rewrite([]));
        Assert.False(r.Rewrite([0x80]));
    }
}
