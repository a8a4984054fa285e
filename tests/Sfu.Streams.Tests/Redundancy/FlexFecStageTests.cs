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
        var (track, plain, withFec, src) = Publish();
        var fecDown = withFec.DownTracks.Single();
        var frame = Frame(65534, 5);
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
            Assert.Equal(media[lost], Sfu.WebRtc.Tests.Fec.FecReceived.Recover(fecPayload, received));
        }
        Assert.Equal(1, track.Fec.Received);
        Assert.Equal(1, track.Fec.Forwarded);
        Assert.Equal(1, track.Fec.DroppedNotNegotiated);
        Assert.Equal(0, fecDown.Source.Fec.DroppedUnmappable);
    }

    private (UpTrack Track, MediaSession Plain, MediaSession WithFec, TestPublisher.Probe<MediaPacket> Source) Publish()
    {
        var (pt, _, _) = _h.KeyedTransport();
        var publisher = _h.Session(pt);
        var description = new PublishedTrackDescription("0", "video", "stream", "track-0", [MediaSsrc], new Dictionary<uint, uint>(),
            [Vp8], new Dictionary<string, int> { [RtpExtensionUris.Mid] = RtpTestHarness.MidExtensionId }, []) { FlexFec = FlexFec, FecSsrc = FecSsrc };
        var track = new UpTrack("TR_1", "PA_pub", "camera", description, publisher, _h.Time);
        publisher.AddUpTrack(track);
        MediaSession Subscribe(uint ssrc, bool fec)
        {
            var (t, _, _) = _h.KeyedTransport();
            var session = _h.Session(t);
            var down = new DownTrack(track, session, ssrc, 96, new Dictionary<int, int>(), _h.Time);
            if (fec) down.Fec = new FlexFecForwarding(ssrc + 1, 49, 1000);
            session.AddDownTrack(down);
            track.Add(down);
            return session;
        }
        var plain = Subscribe(0x6000, false);
        var withFec = Subscribe(0x5000, true);
        var src = this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(new RtpIngressStage(publisher)))
            .ToMaterialized(Sink.FromGraph(new ForwardSink()), Keep.Left).Run(_mat);
        return (track, plain, withFec, src);
    }

    private static List<byte[]> Frame(ushort first, int count) => Enumerable.Range(0, count)
        .Select(i => RtpTestHarness.Vp8Packet(MediaSsrc, (ushort)(first + i), 9000, keyframe: i == 0, payloadLength: 200 + 50 * i, mid: "0", pt: PubVp8))
        .ToList();

    private static byte[] Payload(byte[] rtp)
    {
        Assert.True(RtpHeader.TryParse(rtp, out var h));
        return rtp.AsSpan(h.HeaderLength, h.PayloadLength).ToArray();
    }

    [Fact]
    public void A_packet_lost_before_the_sfu_is_rebuilt_from_the_publishers_fec_and_forwarded_at_once()
    {
        var (track, plain, withFec, src) = Publish();
        // Across the sequence number wrap: 65533, 65534, [65535 lost], 0, 1.
        var frame = Frame(65533, 5);
        foreach (var (p, i) in frame.Select((p, i) => (p, i)))
            if (i != 2) src.SendNext(RtpTestHarness.ToPacket(p));
        AwaitCondition(() => track.Recovery.NacksSent >= 1);
        Assert.True(track.Streams.Single().IsMissing(65535));

        src.SendNext(RtpTestHarness.ToPacket(FecPacket(7, 9000, 65533, frame)));
        AwaitCondition(() => track.Recovery.FecRecovered == 1);

        Assert.False(track.Streams.Single().IsMissing(65535));
        Assert.Equal(1, track.Recovery.PacketsRepaired);
        Assert.Equal(0, track.Recovery.RtxRestored);
        // Both subscribers got the rebuilt packet: its payload is the lost one's, byte for byte.
        foreach (var session in new[] { plain, withFec })
        {
            var media = DrainMedia(session.Egress, 5);
            Assert.Equal(5, media.Count);
            Assert.Equal(Payload(frame[2]), Payload(media[^1]));
            Assert.Equal((ushort)(BinaryPrimitives.ReadUInt16BigEndian(media[1].AsSpan(2)) + 1), BinaryPrimitives.ReadUInt16BigEndian(media[^1].AsSpan(2)));
        }
        // The FEC packet became the media packet: it is not forwarded as well.
        Assert.Equal(1, track.Fec.Received);
        Assert.Equal(0, track.Fec.Forwarded);
        // The rebuilt packet is held as the original: a later FEC packet over it and a new loss repairs that one too.
        var next = Frame(2, 3);
        src.SendNext(RtpTestHarness.ToPacket(next[0]));
        src.SendNext(RtpTestHarness.ToPacket(next[2]));
        src.SendNext(RtpTestHarness.ToPacket(FecPacket(8, 9000, 65535, [frame[2], frame[3], frame[4], next[0], next[1]])));
        AwaitCondition(() => track.Recovery.FecRecovered == 2);
        Assert.Equal(0, track.FecRecovery!.Unusable);
    }

    [Fact]
    public void A_frames_lost_last_packet_is_rebuilt_from_the_fec_that_follows_before_any_gap_shows()
    {
        var (track, plain, _, src) = Publish();
        var frame = Frame(200, 4);
        foreach (var p in frame.Take(3)) src.SendNext(RtpTestHarness.ToPacket(p));
        src.SendNext(RtpTestHarness.ToPacket(FecPacket(7, 9000, 200, frame)));
        AwaitCondition(() => track.Recovery.FecRecovered == 1);
        Assert.Equal(0, track.Recovery.NacksSent);
        Assert.Equal(1, track.Recovery.PacketsRepaired);
        Assert.Equal(203, track.Streams.Single().Nack!.Highest);
        var media = DrainMedia(plain.Egress, 4);
        Assert.Equal(4, media.Count);
        Assert.Equal(Payload(frame[3]), Payload(media[3]));
        // Had it been only late, the original now comes again: dropped, not forwarded twice.
        src.SendNext(RtpTestHarness.ToPacket(frame[3]));
        AwaitCondition(() => track.Recovery.LateDuplicates == 1);
        Assert.Empty(DrainMedia(plain.Egress, 0));
    }

    [Fact]
    public void A_crafted_fec_packet_that_rebuilds_a_malformed_packet_is_dropped_and_counted()
    {
        var (track, plain, _, src) = Publish();
        var good = RtpTestHarness.Vp8Packet(MediaSsrc, 300, 9000, keyframe: true, payloadLength: 200, mid: "0", pt: PubVp8);
        // What the FEC says packet 301 was: 15 CSRCs announced, 4 bytes after the fixed header.
        var bogus = new byte[16];
        bogus[0] = 0x8F;
        bogus[1] = PubVp8;
        BinaryPrimitives.WriteUInt16BigEndian(bogus.AsSpan(2), 301);
        BinaryPrimitives.WriteUInt32BigEndian(bogus.AsSpan(8), MediaSsrc);
        var next = RtpTestHarness.Vp8Packet(MediaSsrc, 302, 12000, keyframe: false, payloadLength: 200, mid: "0", pt: PubVp8);
        var malformed = DropCounters.Get(DropReason.MalformedRtp);
        src.SendNext(RtpTestHarness.ToPacket(good));
        src.SendNext(RtpTestHarness.ToPacket(next));
        src.SendNext(RtpTestHarness.ToPacket(FecPacket(7, 9000, 300, [good, bogus])));
        AwaitCondition(() => DropCounters.Get(DropReason.MalformedRtp) > malformed);
        Assert.Equal(0, track.Recovery.FecRecovered);
        Assert.True(track.Streams.Single().IsMissing(301));
        // The stream goes on.
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(MediaSsrc, 303, 15000, keyframe: false, payloadLength: 200, mid: "0", pt: PubVp8)));
        AwaitCondition(() => track.PacketsIn == 3);
        Assert.Equal(3, DrainMedia(plain.Egress, 3).Count);
    }

    [Fact]
    public void A_fec_packet_two_packets_short_rebuilds_the_second_once_another_fec_packet_rebuilt_the_first()
    {
        var (track, plain, _, src) = Publish();
        var frame = Frame(400, 6);
        // 401 and 403 lost. FEC A covers 400-403 (two missing: kept); FEC B covers 403-405 (rebuilds 403); FEC C covers
        // 404-405 (nothing missing) and its arrival retries A, which now lacks only 401. Back to back, as a publisher
        // sends a frame's FEC packets (a kept one is retried for FecRecovery.PendingLifetime).
        foreach (var i in new[] { 0, 2, 4, 5 }) src.SendNext(RtpTestHarness.ToPacket(frame[i]));
        src.SendNext(RtpTestHarness.ToPacket(FecPacket(7, 9000, 400, frame.Take(4).ToList())));
        src.SendNext(RtpTestHarness.ToPacket(FecPacket(8, 9000, 403, frame.Skip(3).ToList())));
        src.SendNext(RtpTestHarness.ToPacket(FecPacket(9, 9000, 404, frame.Skip(4).ToList())));
        var r = track.FecRecovery!;
        AwaitCondition(() => track.Recovery.FecRecovered == 2);
        Assert.Equal(1, r.TooManyMissing);
        Assert.Equal(1, r.RebuiltOnRetry);
        Assert.False(track.Streams.Single().IsMissing(401));
        var media = DrainMedia(plain.Egress, 6);
        Assert.Equal(6, media.Count);
        Assert.Equal(Payload(frame[1]), Payload(media[^1]));
        Assert.Equal(Payload(frame[3]), Payload(media[^2]));
    }

    [Fact]
    public void Fec_with_two_packets_missing_rebuilds_nothing_and_nack_goes_on()
    {
        var (track, _, _, src) = Publish();
        var frame = Frame(100, 5);
        foreach (var (p, i) in frame.Select((p, i) => (p, i)))
            if (i is not (1 or 3)) src.SendNext(RtpTestHarness.ToPacket(p));
        src.SendNext(RtpTestHarness.ToPacket(FecPacket(7, 9000, 100, frame)));
        AwaitCondition(() => track.FecRecovery!.TooManyMissing == 1);
        Assert.Equal(0, track.Recovery.FecRecovered);
        Assert.True(track.Streams.Single().IsMissing(101));
        Assert.True(track.Streams.Single().IsMissing(103));
        // Still a FEC packet: handed to forwarding (unmappable for the subscriber, who never got two of its packets).
        AwaitCondition(() => track.Fec.Received == 1);
    }

    [Fact]
    public void Fec_over_packets_that_all_arrived_rebuilds_nothing_and_is_forwarded()
    {
        var (track, _, _, src) = Publish();
        var frame = Frame(100, 4);
        foreach (var p in frame) src.SendNext(RtpTestHarness.ToPacket(p));
        src.SendNext(RtpTestHarness.ToPacket(FecPacket(7, 9000, 100, frame)));
        AwaitCondition(() => track.Fec.Forwarded == 1);
        Assert.Equal(1, track.FecRecovery!.NothingMissing);
        Assert.Equal(0, track.Recovery.FecRecovered);
    }

    /// <summary>
    /// The subscriber's media packets (payload type 96), waiting until <paramref name="count"/> are there: repair
    /// counters move in the ingress stage, before the sink has forwarded the packet.
    /// </summary>
    private List<byte[]> DrainMedia(Sfu.Streams.Pipeline.MediaQueue q, int count)
    {
        var media = new List<byte[]>();
        AwaitCondition(() =>
        {
            media.AddRange(Drain(q).Where(p => (p[1] & 0x7F) == 96));
            return media.Count >= count;
        });
        // Nothing more comes after them.
        Thread.Sleep(50);
        media.AddRange(Drain(q).Where(p => (p[1] & 0x7F) == 96));
        return media;
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
