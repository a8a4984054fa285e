using System.Buffers.Binary;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Redundancy;
using Sfu.Streams.Stages;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Redundancy;

/// <summary>RED audio (RFC 2198) from a publisher, forwarded as RED or stripped to Opus per subscriber.</summary>
public sealed class RedForwardingTests : TestKit
{
    private const byte PubOpus = 109;
    private const byte PubRed = 121;
    private static readonly NegotiatedCodec Opus = new(PubOpus, "opus", 48000, 2, "minptime=10;useinbandfec=1", [], null);
    private static readonly NegotiatedCodec Red = new(PubRed, "red", 48000, 2, "109/109", [], null);

    private readonly RtpTestHarness _h = new();
    private readonly IMaterializer _mat;

    public RedForwardingTests() => _mat = Sys.Materializer();

    protected override void Dispose(bool disposing)
    {
        _h.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// An RTP packet as Chrome sends RED: an audio-level extension, then one redundant block (the previous 20 ms
    /// frame, offset 960) and the primary block.
    /// </summary>
    private static byte[] RedPacket(ushort seq, uint ts, byte[] primary, byte[]? redundant, byte pt = PubRed, byte blockPt = PubOpus, int padding = 0)
    {
        var headerLength = 12 + 8;
        var redHeaders = redundant is null ? 1 : 5;
        var payloadLength = redHeaders + (redundant?.Length ?? 0) + primary.Length;
        var packet = new byte[headerLength + payloadLength + padding];
        packet[0] = (byte)(0x90 | (padding > 0 ? 0x20 : 0));
        packet[1] = pt;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ts);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0xAA);
        packet[12] = 0xBE;
        packet[13] = 0xDE;
        packet[15] = 1;
        packet[16] = 0x10; // id 1 (ssrc-audio-level), one byte
        packet[17] = 0x85;
        var o = headerLength;
        if (redundant is not null)
        {
            var word = (1u << 31) | ((uint)blockPt << 24) | (960u << 10) | (uint)redundant.Length;
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(o), word);
            o += 4;
        }
        packet[o++] = blockPt;
        if (redundant is not null)
        {
            redundant.CopyTo(packet, o);
            o += redundant.Length;
        }
        primary.CopyTo(packet, o);
        if (padding > 0) packet[^1] = (byte)padding;
        return packet;
    }

    [Fact]
    public void Stripping_leaves_the_primary_under_the_same_header()
    {
        var packet = RedPacket(7, 48000, [0xFC, 1, 2, 3], [0xFC, 9, 9], padding: 4);
        Assert.True(RedStripper.TryStrip(packet, PubOpus, 111, out var length));
        Assert.True(RtpHeader.TryParse(packet.AsSpan(0, length), out var h));
        Assert.Equal(111, h.PayloadType);
        Assert.False(h.Padding);
        Assert.Equal((ushort)7, h.SequenceNumber);
        Assert.Equal(48000u, h.Timestamp);
        Assert.True(h.HasExtension);
        Assert.Equal(new byte[] { 0xFC, 1, 2, 3 }, packet.AsSpan(h.HeaderLength, h.PayloadLength).ToArray());
    }

    [Fact]
    public void Stripping_refuses_malformed_red_and_a_primary_of_another_codec()
    {
        Assert.False(RedStripper.TryStrip(RedPacket(1, 0, [1, 2], null, blockPt: 13), PubOpus, 111, out _));
        Assert.False(RedStripper.TryStrip(RedPacket(1, 0, [], null), PubOpus, 111, out _));
        var cut = RedPacket(1, 0, [1], [1, 2, 3, 4, 5]);
        Assert.False(RedStripper.TryStrip(cut.AsSpan(0, 12 + 8 + 6), PubOpus, 111, out _));
        Assert.False(RedStripper.TryStrip(new byte[5], PubOpus, 111, out _));
        var random = new Random(63);
        for (var i = 0; i < 5000; i++)
        {
            var data = new byte[random.Next(0, 60)];
            random.NextBytes(data);
            if (data.Length > 0) data[0] = (byte)(0x80 | (data[0] & 0x3F));
            if (RedStripper.TryStrip(data, PubOpus, 111, out var n)) Assert.InRange(n, 12, data.Length);
        }
    }

    [Fact]
    public void Forwarding_maps_block_payload_types_to_the_subscribers_opus()
    {
        var red = new RedForwarding(PubRed, PubOpus, 111, 63);
        var packet = RedPacket(3, 960, [0xFC, 5], [0xFC, 4]);
        Assert.True(red.TryRewrite(packet, out var length, out var pt));
        Assert.Equal(63, pt);
        Assert.Equal(packet.Length, length);
        Assert.True(RtpHeader.TryParse(packet, out var h));
        Span<RedBlock> blocks = stackalloc RedBlock[4];
        Assert.True(RedPayload.TryReadBlocks(packet.AsSpan(h.HeaderLength, h.PayloadLength), blocks, out var count));
        Assert.Equal(2, count);
        Assert.Equal(111, blocks[0].PayloadType);
        Assert.Equal(111, blocks[1].PayloadType);
        Assert.Equal(960, blocks[0].TimestampOffset);
        Assert.Equal(new RedStats(1, 0, 0), red.Counters.Snapshot());
    }

    [Fact]
    public void Through_the_stages_one_subscriber_gets_red_and_the_other_plain_opus()
    {
        var (pt, _, _) = _h.KeyedTransport();
        var publisher = _h.Session(pt);
        var description = new PublishedTrackDescription("0", "audio", "stream", "track-0", [0xAAu], new Dictionary<uint, uint>(),
            [Opus], new Dictionary<string, int>(), []) { Red = Red };
        var track = new UpTrack("TR_1", "PA_pub", "microphone", description, publisher, _h.Time);
        publisher.AddUpTrack(track);

        (MediaSession Session, DownTrack Down) Subscribe(uint ssrc, int? acceptedRed)
        {
            var (t, _, _) = _h.KeyedTransport();
            var session = _h.Session(t);
            var down = new DownTrack(track, session, ssrc, 111, new Dictionary<int, int>(), _h.Time);
            down.Red = RedForwarding.For(track, down.PayloadType, acceptedRed);
            session.AddDownTrack(down);
            track.Add(down);
            return (session, down);
        }
        var (withRed, redDown) = Subscribe(0x5001, 63);
        var (plain, plainDown) = Subscribe(0x5002, null);

        var src = this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(new RtpIngressStage(publisher)))
            .ToMaterialized(Sink.FromGraph(new ForwardSink()), Keep.Left).Run(_mat);
        src.SendNext(RtpTestHarness.ToPacket(RedPacket(100, 0, [0xFC, 1], null)));
        src.SendNext(RtpTestHarness.ToPacket(RedPacket(101, 960, [0xFC, 2], [0xFC, 1])));
        // Chrome may send plain Opus too (red negotiated second): it takes the usual path on both.
        var opus = RedPacket(102, 1920, [0xFC, 3], null, pt: PubOpus);
        var opusPayloadStart = 12 + 8;
        opus = [.. opus.AsSpan(0, opusPayloadStart), .. opus.AsSpan(opusPayloadStart + 1)];
        src.SendNext(RtpTestHarness.ToPacket(opus));
        src.SendNext(RtpTestHarness.ToPacket(RedPacket(103, 2880, [1, 2], null, blockPt: 13)));
        AwaitCondition(() => redDown.PacketsSent + plainDown.PacketsSent >= 6);

        var red = Drain(withRed.Egress);
        var stripped = Drain(plain.Egress);
        Assert.Equal(3, red.Count);
        Assert.Equal(3, stripped.Count);
        Assert.Equal(new byte[] { 63, 63, 111 }, red.Select(p => (byte)(p[1] & 0x7F)));
        Assert.Equal(new byte[] { 111, 111, 111 }, stripped.Select(p => (byte)(p[1] & 0x7F)));
        // Stripped packets carry the primary only; sequence numbers stay continuous.
        var payloads = stripped.Select(p => { RtpHeader.TryParse(p, out var h); return p.AsSpan(h.HeaderLength, h.PayloadLength).ToArray(); }).ToList();
        Assert.Equal(new byte[] { 0xFC, 1 }, payloads[0]);
        Assert.Equal(new byte[] { 0xFC, 2 }, payloads[1]);
        Assert.Equal(new byte[] { 0xFC, 3 }, payloads[2]);
        var seqs = stripped.Select(p => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2))).ToList();
        Assert.Equal(seqs[0] + 1, seqs[1]);
        Assert.All(red.Concat(stripped), p => Assert.NotEqual(0xAAu, BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(8))));
        Assert.Equal(new RedStats(2, 0, 1), redDown.Red!.Counters.Snapshot());
        Assert.Equal(new RedStats(0, 2, 1), plainDown.Red!.Counters.Snapshot());
    }

    private static List<byte[]> Drain(Sfu.Streams.Pipeline.MediaQueue q)
    {
        var list = new List<byte[]>();
        while (q.Reader.TryRead(out var p))
        {
            list.Add(p.Span.ToArray());
            p.Release();
        }
        return list;
    }
}
