using System.Buffers.Binary;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Redundancy;
using Sfu.Streams.Stages;
using Sfu.WebRtc.Fec;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Redundancy;

/// <summary>A publisher's FlexFEC stream through ingress and fan-out: rewritten for a subscriber that took flexfec-03, dropped for one that did not.</summary>
public sealed class FlexFecStageTests : TestKit
{
    private const uint MediaSsrc = 0xAA, FecSsrc = 0xFE;
    private const byte PubVp8 = 100, PubFlexFec = 49;
    private static readonly NegotiatedCodec Vp8 = new(PubVp8, "VP8", 90000, 0, null, ["nack", "nack pli"], null);
    private static readonly NegotiatedCodec FlexFec = new(PubFlexFec, "flexfec-03", 90000, 0, "repair-window=10000000", [], null);

    private readonly RtpTestHarness _h = new();
    private readonly IMaterializer _mat;

    public FlexFecStageTests() => _mat = Sys.Materializer();

    protected override void Dispose(bool disposing)
    {
        _h.Dispose();
        base.Dispose(disposing);
    }

    private static byte[] FecPacket(ushort seq, uint ts, ushort seqBase, IReadOnlyList<byte[]> protectedPackets)
    {
        var payload = new byte[1400];
        Assert.True(FlexFec03Header.TryWrite(payload, MediaSsrc, seqBase, Enumerable.Range(0, protectedPackets.Count).ToArray(), out var hl));
        var length = FecXor.CoveredLength(hl, protectedPackets.Max(p => p.Length));
        foreach (var p in protectedPackets) Assert.True(FecXor.TryApply(payload.AsSpan(0, length), hl, p));
        var packet = new byte[12 + length];
        packet[0] = 0x80;
        packet[1] = PubFlexFec;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ts);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), FecSsrc);
        payload.AsSpan(0, length).CopyTo(packet.AsSpan(12));
        return packet;
    }

    [Fact]
    public void The_subscriber_with_flexfec_recovers_a_lost_packet_from_the_forwarded_fec()
    {
        var (pt, _, _) = _h.KeyedTransport();
        var publisher = _h.Session(pt);
        var description = new PublishedTrackDescription("0", "video", "stream", "track-0", [MediaSsrc], new Dictionary<uint, uint>(),
            [Vp8], new Dictionary<string, int> { [RtpExtensionUris.Mid] = RtpTestHarness.MidExtensionId }, []) { FlexFec = FlexFec, FecSsrc = FecSsrc };
        var track = new UpTrack("TR_1", "PA_pub", "camera", description, publisher, _h.Time);
        publisher.AddUpTrack(track);

        (MediaSession Session, DownTrack Down) Subscribe(uint ssrc, bool fec)
        {
            var (t, _, _) = _h.KeyedTransport();
            var session = _h.Session(t);
            var down = new DownTrack(track, session, ssrc, 96, new Dictionary<int, int>(), _h.Time);
            if (fec) down.Fec = new FlexFecForwarding(ssrc + 1, 49, 1000);
            session.AddDownTrack(down);
            track.Add(down);
            return (session, down);
        }
        var (withFec, fecDown) = Subscribe(0x5000, true);
        var (plain, _) = Subscribe(0x6000, false);

        var src = this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(new RtpIngressStage(publisher)))
            .ToMaterialized(Sink.FromGraph(new ForwardSink()), Keep.Left).Run(_mat);
        var frame = Enumerable.Range(0, 5)
            .Select(i => RtpTestHarness.Vp8Packet(MediaSsrc, (ushort)(65534 + i), 9000, keyframe: i == 0, payloadLength: 200 + 50 * i, mid: "0", pt: PubVp8))
            .ToList();
        foreach (var p in frame) src.SendNext(RtpTestHarness.ToPacket(p));
        src.SendNext(RtpTestHarness.ToPacket(FecPacket(7, 9000, 65534, frame)));
        AwaitCondition(() => track.Fec.Forwarded + track.Fec.DroppedNotNegotiated >= 2);

        var got = Drain(withFec.Egress);
        var other = Drain(plain.Egress);
        Assert.Equal(6, got.Count);
        Assert.Equal(5, other.Count);
        var fec = got.Single(p => BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(8)) == 0x5001);
        Assert.True(RtpHeader.TryParse(fec, out var fh));
        Assert.Equal(49, fh.PayloadType);
        Assert.Equal((ushort)1000, fh.SequenceNumber);
        var media = got.Where(p => BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(8)) == 0x5000).ToList();
        Assert.Equal(5, media.Count);
        Assert.All(media, p => Assert.Equal(96, p[1] & 0x7F));

        var fecPayload = fec.AsSpan(fh.HeaderLength, fh.PayloadLength);
        Assert.True(FlexFec03Header.TryParse(fecPayload, out var header));
        Assert.Equal(0x5000u, header.ProtectedSsrc);
        Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(media[0].AsSpan(2)), header.SequenceBase);
        for (var lost = 0; lost < media.Count; lost++)
        {
            var received = media.Where((_, i) => i != lost).ToDictionary(p => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)));
            Assert.Equal(media[lost], FlexFecRecovery.Recover(fecPayload, received));
        }
        Assert.Equal(1, track.Fec.Received);
        Assert.Equal(1, track.Fec.Forwarded);
        Assert.Equal(1, track.Fec.DroppedNotNegotiated);
        Assert.Equal(0, fecDown.Source.Fec.DroppedUnmappable);
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
