using System.Buffers.Binary;
using Sfu.Streams.Recovery;
using Sfu.Streams.Redundancy;
using Sfu.WebRtc.Fec;

namespace Sfu.Streams.Tests.Redundancy;

/// <summary>
/// A publisher's FlexFEC packet, rewritten for one subscriber, must let that subscriber recover the packet it lost
/// exactly as the SFU would have sent it: checked with a receiver-side XOR recovery written here.
/// </summary>
public class FlexFecForwardingTests
{
    private const uint PubSsrc = 0x1111_1111, SubSsrc = 0x2222_2222, SubFecSsrc = 0x3333_3333;
    private const byte PubPt = 100, SubPt = 96;
    private const int SeqOffset = 12345 - 65530;

    private static byte[] Rtp(byte pt, ushort seq, uint ts, uint ssrc, ReadOnlySpan<byte> ext, ReadOnlySpan<byte> payload)
    {
        var words = (ext.Length + 3) / 4;
        var buf = new byte[16 + words * 4 + payload.Length];
        buf[0] = 0x90;
        buf[1] = pt;
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(4), ts);
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(8), ssrc);
        buf[12] = 0xBE;
        buf[13] = 0xDE;
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(14), (ushort)words);
        ext.CopyTo(buf.AsSpan(16));
        payload.CopyTo(buf.AsSpan(16 + words * 4));
        return buf;
    }

    /// <summary>What the SFU does to a packet: new SSRC, numbering, payload type, and a different extension block (other ids, a transport-wide number).</summary>
    private static byte[] Rewrite(byte[] original, int index)
    {
        var seq = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(original.AsSpan(2)) + SeqOffset);
        var ts = BinaryPrimitives.ReadUInt32BigEndian(original.AsSpan(4)) + 0x1234_5678;
        var words = BinaryPrimitives.ReadUInt16BigEndian(original.AsSpan(14));
        var payload = original.AsSpan(16 + words * 4);
        byte[] ext = index % 3 == 0 ? [0x31, 0, (byte)index, 0x50, 1, 2, 3, 4, 5] : [0x31, 0, (byte)index];
        var r = Rtp(SubPt, seq, ts, SubSsrc, ext, payload);
        if ((original[1] & 0x80) != 0) r[1] |= 0x80;
        return r;
    }

    private static (List<byte[]> Originals, byte[] Fec) PublisherFrame(ushort firstSeq, int count, int seed)
    {
        var rng = new Random(seed);
        var originals = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var payload = new byte[rng.Next(20, 1100)];
            rng.NextBytes(payload);
            originals.Add(Rtp(PubPt, (ushort)(firstSeq + i), 3000, PubSsrc, [0x10, (byte)i, 0x22, 9, 9, 9], payload));
        }
        originals[^1][1] |= 0x80;
        var offsets = Enumerable.Range(0, count).ToArray();
        var fec = new byte[1400];
        Assert.True(FlexFec03Header.TryWrite(fec, PubSsrc, firstSeq, offsets, out var hl));
        var length = FecXor.CoveredLength(hl, originals.Max(p => p.Length));
        foreach (var p in originals) Assert.True(FecXor.TryApply(fec.AsSpan(0, length), hl, p));
        return (originals, fec[..length]);
    }

    private static (FlexFecForwarding Forwarding, FecSourceWindow Window, RetransmissionBuffer Sent, List<byte[]?> Rewritten) Forward(
        List<byte[]> originals, ISet<int> lostUpstream)
    {
        var forwarding = new FlexFecForwarding(SubFecSsrc, 49, 7);
        var window = new FecSourceWindow();
        var sent = new RetransmissionBuffer(new ManualTime());
        var rewritten = new List<byte[]?>();
        for (var i = 0; i < originals.Count; i++)
        {
            if (lostUpstream.Contains(i))
            {
                rewritten.Add(null);
                continue;
            }
            var o = originals[i];
            var seq = BinaryPrimitives.ReadUInt16BigEndian(o.AsSpan(2));
            var ext = window.Highest < 0 ? 65536 + seq : window.Unwrap(seq);
            window.Store(ext, o);
            var r = Rewrite(o, i);
            sent.Store(BinaryPrimitives.ReadUInt16BigEndian(r.AsSpan(2)), r);
            forwarding.OnMediaSent(ext, BinaryPrimitives.ReadUInt16BigEndian(r.AsSpan(2)));
            rewritten.Add(r);
        }
        return (forwarding, window, sent, rewritten);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(5, 9)]
    [InlineData(11, 30)]
    public void A_subscriber_recovers_its_own_rewritten_packet(int lost, int count)
    {
        // The frame wraps 65535 -> 0 on the publisher's side.
        var (originals, fec) = PublisherFrame(65530, count, lost);
        var (forwarding, window, sent, rewritten) = Forward(originals, new HashSet<int>());
        var room = new byte[1500];
        fec.CopyTo(room, 0);
        var length = fec.Length;
        Assert.Equal(FecRewrite.Rewritten, forwarding.TryRewrite(room, ref length, PubSsrc, SubSsrc, window, sent));
        Assert.True(FlexFec03Header.TryParse(room.AsSpan(0, length), out var h));
        Assert.Equal(SubSsrc, h.ProtectedSsrc);
        Assert.Equal((ushort)12345, h.SequenceBase);

        var received = rewritten.Where((_, i) => i != lost).ToDictionary(p => BinaryPrimitives.ReadUInt16BigEndian(p!.AsSpan(2)), p => p!);
        Assert.Equal(rewritten[lost], Sfu.WebRtc.Tests.Fec.FecReceived.Recover(room.AsSpan(0, length), received));
        // The unmodified publisher FEC would not have repaired it: that is why the SFU corrects the XOR.
        var naive = (byte[])fec.Clone();
        FlexFec03Header.WriteProtected(naive, SubSsrc, 12345);
        Assert.NotEqual(rewritten[lost], Sfu.WebRtc.Tests.Fec.FecReceived.Recover(naive, received));
    }

    [Fact]
    public void The_rewritten_fec_is_byte_for_byte_what_a_sender_of_the_rewritten_stream_would_send()
    {
        var (originals, fec) = PublisherFrame(65500, 40, 77);
        var (forwarding, window, sent, rewritten) = Forward(originals, new HashSet<int>());
        var room = new byte[1500];
        fec.CopyTo(room, 0);
        var length = fec.Length;
        Assert.Equal(FecRewrite.Rewritten, forwarding.TryRewrite(room, ref length, PubSsrc, SubSsrc, window, sent));

        var fresh = new byte[1500];
        Assert.True(FlexFec03Header.TryWrite(fresh, SubSsrc, unchecked((ushort)(65500 + SeqOffset)), Enumerable.Range(0, 40).ToArray(), out var hl));
        var freshLength = FecXor.CoveredLength(hl, rewritten.Max(p => p!.Length));
        foreach (var p in rewritten) Assert.True(FecXor.TryApply(fresh.AsSpan(0, freshLength), hl, p!));
        var common = Math.Min(length, freshLength);
        Assert.Equal(fresh.AsSpan(0, common).ToArray(), room.AsSpan(0, common).ToArray());
        // Where the originals were longer, their bytes cancelled out: only zeros are left past the rewritten packets.
        Assert.All(room.AsSpan(common, length - common).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Fec_protecting_a_packet_lost_before_the_sfu_is_not_forwarded()
    {
        // Recovered at the subscriber, it would carry the publisher's header extension ids; NACK/RTX repairs it instead.
        var (originals, fec) = PublisherFrame(100, 6, 42);
        var (forwarding, window, sent, _) = Forward(originals, new HashSet<int> { 2 });
        var room = new byte[1500];
        fec.CopyTo(room, 0);
        var length = fec.Length;
        Assert.Equal(FecRewrite.Unmappable, forwarding.TryRewrite(room, ref length, PubSsrc, SubSsrc, window, sent));
    }

    [Fact]
    public void Fec_whose_packets_were_numbered_with_two_offsets_is_refused()
    {
        var (originals, fec) = PublisherFrame(100, 4, 1);
        var (forwarding, window, sent, _) = Forward(originals, new HashSet<int>());
        // A probe padding packet went out between packets 1 and 2: later packets moved by one.
        forwarding.OnMediaSent(window.Unwrap(102), unchecked((ushort)(102 + SeqOffset + 1)));
        var room = new byte[1500];
        fec.CopyTo(room, 0);
        var length = fec.Length;
        Assert.Equal(FecRewrite.Unmappable, forwarding.TryRewrite(room, ref length, PubSsrc, SubSsrc, window, sent));
    }

    [Fact]
    public void Fec_for_another_ssrc_or_garbage_is_invalid_and_fec_for_nothing_forwarded_is_unmappable()
    {
        var (originals, fec) = PublisherFrame(100, 3, 2);
        var (forwarding, window, sent, _) = Forward(originals, new HashSet<int>());
        var room = new byte[1500];
        fec.CopyTo(room, 0);
        var length = fec.Length;
        Assert.Equal(FecRewrite.Invalid, forwarding.TryRewrite(room, ref length, PubSsrc + 1, SubSsrc, window, sent));
        var rng = new Random(3);
        for (var n = 0; n < 2000; n++)
        {
            var junk = new byte[rng.Next(0, 200)];
            rng.NextBytes(junk);
            var l = junk.Length;
            Assert.NotEqual(FecRewrite.Rewritten, forwarding.TryRewrite(junk, ref l, PubSsrc, SubSsrc, window, sent));
        }
        // Protecting packets this subscriber never got (before it started) is unmappable too.
        var (_, later) = PublisherFrame(5000, 3, 4);
        later.CopyTo(room, 0);
        length = later.Length;
        Assert.Equal(FecRewrite.Unmappable, forwarding.TryRewrite(room, ref length, PubSsrc, SubSsrc, window, sent));
    }
}
