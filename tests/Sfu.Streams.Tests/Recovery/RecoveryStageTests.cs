using System.Buffers.Binary;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Pipeline;
using Sfu.Streams.Recovery;
using Sfu.Streams.Stages;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Recovery;

/// <summary>Loss recovery through the real stages: RTP ingress + forwarding on the publisher leg, RTCP feedback on the subscriber leg.</summary>
public sealed class RecoveryStageTests : TestKit
{
    private const byte RtxPt = 97;
    private const int RidId = 5;
    private const int RepairedRidId = 6;
    private static readonly NegotiatedCodec Vp8WithRtx = RtpTestHarness.Vp8 with { RtxPayloadType = RtxPt };

    private readonly RtpTestHarness _h = new();
    private readonly ManualTime _clock = new();
    private readonly IMaterializer _mat;

    public RecoveryStageTests() => _mat = Sys.Materializer();

    protected override void Dispose(bool disposing)
    {
        _h.Dispose();
        base.Dispose(disposing);
    }

    private (MediaSession Session, UpTrack Track) Published(PublishedTrackDescription description)
    {
        var (t, _, _) = _h.KeyedTransport();
        var session = _h.Session(t);
        var track = new UpTrack("TR_1", "PA_pub", "camera", description, session, _clock);
        session.AddUpTrack(track);
        return (session, track);
    }

    /// <summary>A VP8 track with RTX announced through ssrc-group FID, as Chrome does without simulcast.</summary>
    private (MediaSession Session, UpTrack Track) PublishedWithFid(uint media, uint rtx) => Published(
        new PublishedTrackDescription("0", "video", "stream", "track-0", [media], new Dictionary<uint, uint> { [media] = rtx },
            [Vp8WithRtx], new Dictionary<string, int> { [RtpExtensionUris.Mid] = RtpTestHarness.MidExtensionId }, []));

    private (MediaSession Session, DownTrack Down) Subscribe(UpTrack track, uint ssrc)
    {
        var (t, _, _) = _h.KeyedTransport();
        var session = _h.Session(t);
        var down = new DownTrack(track, session, ssrc, 96, new Dictionary<int, int>(), _h.Time);
        session.AddDownTrack(down);
        track.Add(down);
        return (session, down);
    }

    private TestPublisher.Probe<MediaPacket> Ingress(MediaSession publisher) =>
        this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(new RtpIngressStage(publisher)))
            .ToMaterialized(Sink.FromGraph(new ForwardSink()), Keep.Left).Run(_mat);

    private TestPublisher.Probe<MediaPacket> Feedback(MediaSession session) =>
        this.SourceProbe<MediaPacket>().ToMaterialized(Sink.FromGraph(new RtcpFeedbackSink(session)), Keep.Left).Run(_mat);

    private static byte[] Rtx(byte[] original, byte pt, uint ssrc, ushort seq)
    {
        var buffer = new byte[original.Length + 2];
        original.CopyTo(buffer, 0);
        Assert.True(RtxPacket.TryWrap(buffer, original.Length, pt, ssrc, seq, out var n));
        return buffer[..n];
    }

    private static List<byte[]> Drain(MediaQueue q)
    {
        var list = new List<byte[]>();
        while (q.Reader.TryRead(out var p))
        {
            list.Add(p.Span.ToArray());
            p.Release();
        }
        return list;
    }

    private static List<ushort> NackedIn(IEnumerable<byte[]> rtcp, uint mediaSsrc)
    {
        var lost = new List<ushort>();
        foreach (var datagram in rtcp)
        {
            var reader = new RtcpCompoundReader(datagram);
            while (reader.TryNext(out var header, out var packet))
                if (header.PacketType == RtcpPacketType.RTPFB && GenericNack.TryParse(packet, out var nack) && nack.MediaSsrc == mediaSsrc)
                    foreach (var s in nack.LostSequenceNumbers) lost.Add(s);
        }
        return lost;
    }

    [Fact]
    public void A_gap_is_nacked_at_once_retried_by_the_tick_and_given_up_with_a_keyframe_request()
    {
        var (publisher, track) = PublishedWithFid(0xA1, 0xB1);
        var src = Ingress(publisher);
        foreach (var (seq, kf) in new[] { (10, true), (11, false), (14, false) })
            src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0xA1, (ushort)seq, 0, kf)));
        AwaitCondition(() => track.Recovery.NacksSent == 1);
        var first = Drain(publisher.Egress);
        Assert.Equal(new ushort[] { 12, 13 }, NackedIn(first, 0xA1));
        Assert.True(GenericNack.TryParse(first[0], out var parsed));
        Assert.Equal(publisher.LocalSsrc, parsed.SenderSsrc);

        // Nothing is due until the retry interval (the initial RTT, 100 ms, + the 10 ms margin) has passed.
        Assert.Null(PublisherRecovery.BuildNacks(publisher));
        _clock.Advance(TimeSpan.FromMilliseconds(109));
        Assert.Null(PublisherRecovery.BuildNacks(publisher));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var retry = PublisherRecovery.BuildNacks(publisher);
        Assert.NotNull(retry);
        Assert.True(retry.IsRtcp);
        Assert.Equal(new ushort[] { 12, 13 }, NackedIn([retry.Span.ToArray()], 0xA1));
        retry.Release();
        Assert.Equal(4, track.Recovery.PacketsRequested);

        // A second later the gap is not worth repairing: the publisher is asked for a keyframe instead.
        _clock.Advance(TimeSpan.FromMilliseconds(891));
        Assert.Null(PublisherRecovery.BuildNacks(publisher));
        Assert.Equal(2, track.Recovery.PacketsUnrepaired);
        Assert.Equal(1, track.Recovery.KeyframeRequests);
        var pli = Assert.Single(Drain(publisher.Egress));
        Assert.True(PictureLossIndication.TryParse(pli, out var p));
        Assert.Equal(0xA1u, p.MediaSsrc);
    }

    [Fact]
    public void The_session_ticker_puts_due_retries_and_reports_into_the_egress_queue_and_nothing_when_nothing_is_due()
    {
        var (publisher, track) = PublishedWithFid(0xA1, 0xB1);
        var src = Ingress(publisher);
        foreach (var (seq, kf) in new[] { (10, true), (11, false), (14, false) })
            src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0xA1, (ushort)seq, 0, kf)));
        AwaitCondition(() => track.Recovery.NacksSent == 1);
        Drain(publisher.Egress);

        using var ticker = new SessionTicker(TimeSpan.FromMilliseconds(5), reportEvery: 1_000_000);
        ticker.Register(publisher);
        // Before the retry interval nothing is due: the ticker offers nothing, so the graph would not wake.
        Thread.Sleep(50);
        Assert.Empty(Drain(publisher.Egress));
        _clock.Advance(TimeSpan.FromMilliseconds(110));
        AwaitCondition(() => track.Recovery.NacksSent == 2);
        Assert.Equal(new ushort[] { 12, 13 }, NackedIn(Drain(publisher.Egress), 0xA1));
        ticker.Unregister(publisher);
        Assert.Equal(0, ticker.Count);

        // Reports: a tick with reports on builds the receiver report for what this connection receives.
        SessionTicker.Tick(publisher, reports: true);
        var report = Assert.Single(Drain(publisher.Egress));
        Assert.True(RtcpHeader.TryParse(report, out var header));
        Assert.Contains(header.PacketType, new[] { (byte)200, (byte)201 });
    }

    [Fact]
    public void Rtx_on_the_fid_ssrc_is_restored_forwarded_once_and_duplicates_dropped()
    {
        var (publisher, track) = PublishedWithFid(0xA1, 0xB1);
        var (subscriber, down) = Subscribe(track, 0x5001);
        var src = Ingress(publisher);
        var originals = new Dictionary<ushort, byte[]>();
        foreach (var (seq, kf) in new[] { (10, true), (11, false), (12, false), (13, false) })
            originals[(ushort)seq] = RtpTestHarness.Vp8Packet(0xA1, (ushort)seq, (uint)seq * 3000, kf, payloadLength: 50 + seq);
        foreach (var seq in new ushort[] { 10, 11, 13 }) src.SendNext(RtpTestHarness.ToPacket(originals[seq]));
        AwaitCondition(() => down.PacketsSent == 3);
        var forwarded = Drain(subscriber.Egress);
        RtpHeader.TryParse(forwarded[0], out var firstOut);

        src.SendNext(RtpTestHarness.ToPacket(Rtx(originals[12], RtxPt, 0xB1, 500)));
        AwaitCondition(() => down.PacketsSent == 4);
        var repaired = Assert.Single(Drain(subscriber.Egress));
        Assert.True(RtpHeader.TryParse(repaired, out var h));
        Assert.Equal((ushort)(firstOut.SequenceNumber + 2), h.SequenceNumber);
        Assert.Equal(0x5001u, h.Ssrc);
        Assert.Equal(96, h.PayloadType);
        Assert.Equal(originals[12].AsSpan(12).ToArray(), repaired.AsSpan(h.PayloadOffset).ToArray());
        Assert.Equal(1, track.Recovery.RtxRestored);
        Assert.Equal(1, track.Recovery.PacketsRepaired);

        // Another copy of 12 (a redundant RTX payload) and a padding-only probe go no further.
        src.SendNext(RtpTestHarness.ToPacket(Rtx(originals[12], RtxPt, 0xB1, 501)));
        var probe = new byte[12 + 100];
        probe[0] = 0xA0;
        probe[1] = RtxPt;
        BinaryPrimitives.WriteUInt32BigEndian(probe.AsSpan(8), 0xB1);
        probe[^1] = 100;
        src.SendNext(RtpTestHarness.ToPacket(probe));
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0xA1, 14, 14 * 3000, false)));
        AwaitCondition(() => down.PacketsSent == 5);
        Assert.Equal(1, track.Recovery.RtxDuplicates);
        Assert.Equal(1, track.Recovery.RtxPadding);
        Assert.True(RtpHeader.TryParse(Assert.Single(Drain(subscriber.Egress)), out var h14));
        Assert.Equal((ushort)(firstOut.SequenceNumber + 4), h14.SequenceNumber);
    }

    /// <summary>A packet with one-byte header extensions (mid, rid or repaired-rid) before a VP8 payload.</summary>
    private static byte[] WithExtensions(uint ssrc, ushort seq, byte pt, bool keyframe, params (int Id, string Value)[] extensions)
    {
        var body = RtpTestHarness.Vp8Packet(ssrc, seq, seq * 3000u, keyframe, payloadLength: 40, pt: pt);
        var elements = extensions.SelectMany(e => new[] { (byte)((e.Id << 4) | (e.Value.Length - 1)) }.Concat(System.Text.Encoding.ASCII.GetBytes(e.Value))).ToList();
        while (elements.Count % 4 != 0) elements.Add(0);
        var packet = new byte[body.Length + 4 + elements.Count];
        body.AsSpan(0, 12).CopyTo(packet);
        packet[0] |= 0x10;
        packet[12] = 0xBE;
        packet[13] = 0xDE;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), (ushort)(elements.Count / 4));
        elements.ToArray().CopyTo(packet, 16);
        body.AsSpan(12).CopyTo(packet.AsSpan(16 + elements.Count));
        return packet;
    }

    [Fact]
    public void Rtx_of_rid_simulcast_binds_through_the_repaired_rid_extension()
    {
        var description = new PublishedTrackDescription("0", "video", "stream", "track-0", [], new Dictionary<uint, uint>(), [Vp8WithRtx],
            new Dictionary<string, int>
            {
                [RtpExtensionUris.Mid] = RtpTestHarness.MidExtensionId,
                [RtpExtensionUris.Rid] = RidId,
                [RtpExtensionUris.RepairedRid] = RepairedRidId,
            }, ["q", "f"]);
        var (publisher, track) = Published(description);
        var src = Ingress(publisher);
        src.SendNext(RtpTestHarness.ToPacket(WithExtensions(0x1000, 1, 96, true, (RtpTestHarness.MidExtensionId, "0"), (RidId, "q"))));
        src.SendNext(RtpTestHarness.ToPacket(WithExtensions(0x2000, 1, 96, true, (RtpTestHarness.MidExtensionId, "0"), (RidId, "f"))));
        src.SendNext(RtpTestHarness.ToPacket(WithExtensions(0x2000, 3, 96, false, (RtpTestHarness.MidExtensionId, "0"), (RidId, "f"))));
        AwaitCondition(() => track.Recovery.NacksSent == 1);
        var lost = WithExtensions(0x2000, 2, 96, false, (RtpTestHarness.MidExtensionId, "0"), (RepairedRidId, "f"));
        src.SendNext(RtpTestHarness.ToPacket(Rtx(lost, RtxPt, 0x2001, 9)));
        AwaitCondition(() => track.Recovery.RtxRestored == 1);
        var f = track.Streams.Single(s => s.Rid == "f");
        Assert.Equal(0x2000u, f.Ssrc);
        Assert.Equal(0, f.Nack!.MissingCount);
        // The reports count the repaired packet as lost on the path, as libwebrtc's receivers do.
        Assert.Equal(2, f.Statistics.Received);
        Assert.Equal(1, f.Statistics.Lost);
        Assert.Equal(2, track.Streams.Length);
    }

    private (MediaSession Subscriber, DownTrack Down, List<byte[]> Sent) ForwardThree(bool rtx)
    {
        var (publisher, track) = PublishedWithFid(0xA1, 0xB1);
        var (subscriber, down) = Subscribe(track, 0x5001);
        if (rtx) down.UseRtx(0x6001, RtxPt);
        var src = Ingress(publisher);
        foreach (var (seq, kf) in new[] { (10, true), (11, false), (12, false) })
            src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0xA1, (ushort)seq, (uint)seq * 3000, kf, payloadLength: 30 + seq)));
        AwaitCondition(() => down.PacketsSent == 3);
        return (subscriber, down, Drain(subscriber.Egress));
    }

    private static MediaPacket NackFor(uint mediaSsrc, params ushort[] lost)
    {
        var buffer = new byte[64];
        var n = GenericNack.Write(buffer, 0x77, mediaSsrc, lost);
        return RtpTestHarness.ToPacket(buffer[..n], rtcp: true);
    }

    [Fact]
    public void Subscriber_nack_is_answered_with_rtx_carrying_the_original_sequence_number()
    {
        var (subscriber, down, sent) = ForwardThree(rtx: true);
        var bySeq = sent.ToDictionary(p => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)));
        var seqs = bySeq.Keys.Order().ToArray();
        var notHeld = (ushort)(seqs[0] - 100);
        Feedback(subscriber).SendNext(NackFor(0x5001, seqs[1], seqs[2], notHeld));
        // Counters move before the answers are queued: wait for the queue itself.
        var settled = SpinWait.SpinUntil(() => down.Recovery.PacketsRequested == 3 && down.Recovery.NotHeld == 1 && subscriber.Egress.Reader.Count == 2,
            TimeSpan.FromSeconds(5));
        Assert.True(settled, $"requested {down.Recovery.PacketsRequested}, not held {down.Recovery.NotHeld}, missing upstream " +
                             $"{down.Recovery.MissingUpstream}, too soon {down.Recovery.TooSoon}, retransmitted {down.Recovery.PacketsRetransmitted}, " +
                             $"queued {subscriber.Egress.Reader.Count}, sent before {string.Join(',', seqs)}");

        var answers = Drain(subscriber.Egress);
        Assert.Equal(2, answers.Count);
        Assert.Equal(2, down.Recovery.PacketsRetransmitted);
        Assert.Equal(2, down.Recovery.RtxRetransmitted);
        Assert.Equal(1, down.Recovery.NotHeld);
        Assert.Equal(0, down.Recovery.MissingUpstream);
        Assert.Equal(1, down.NacksReceived);
        ushort? previousRtxSeq = null;
        for (var i = 0; i < 2; i++)
        {
            Assert.True(RtpHeader.TryParse(answers[i], out var h));
            Assert.Equal(0x6001u, h.Ssrc);
            Assert.Equal(RtxPt, h.PayloadType);
            if (previousRtxSeq is { } prev) Assert.Equal((ushort)(prev + 1), h.SequenceNumber);
            previousRtxSeq = h.SequenceNumber;
            // Restoring the RTX packet gives back exactly what was forwarded.
            var restored = answers[i].ToArray();
            Assert.True(RtxPacket.TryRestore(restored, 96, 0x5001, out var n));
            Assert.Equal(bySeq[seqs[i + 1]], restored[..n]);
        }
    }

    [Fact]
    public void Without_rtx_the_same_packet_is_sent_again()
    {
        var (subscriber, down, sent) = ForwardThree(rtx: false);
        var second = sent[1];
        Feedback(subscriber).SendNext(NackFor(0x5001, BinaryPrimitives.ReadUInt16BigEndian(second.AsSpan(2))));
        AwaitCondition(() => down.Recovery.PacketsRetransmitted == 1 && subscriber.Egress.Reader.Count == 1);
        Assert.Equal(second, Assert.Single(Drain(subscriber.Egress)));
        Assert.Equal(0, down.Recovery.RtxRetransmitted);
        Assert.Equal(1, down.Recovery.Snapshot().PlainRetransmitted);
    }

    [Fact]
    public void A_nack_for_a_packet_the_sfu_never_got_counts_as_missing_upstream_not_as_unanswerable()
    {
        var (publisher, track) = PublishedWithFid(0xA1, 0xB1);
        var (subscriber, down) = Subscribe(track, 0x5001);
        down.UseRtx(0x6001, RtxPt);
        var src = Ingress(publisher);
        // 12 is lost on the publisher leg: the SFU NACKs it upstream and the subscriber sees the same gap.
        foreach (var (seq, kf) in new[] { (10, true), (11, false), (13, false) })
            src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0xA1, (ushort)seq, (uint)seq * 3000, kf)));
        AwaitCondition(() => down.PacketsSent == 3);
        var sent = Drain(subscriber.Egress).Select(p => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2))).ToArray();
        Assert.Equal((ushort)(sent[1] + 2), sent[2]);
        var gap = (ushort)(sent[1] + 1);
        var tooOld = (ushort)(sent[0] - 1);

        Feedback(subscriber).SendNext(NackFor(0x5001, gap, tooOld));
        AwaitCondition(() => down.Recovery.PacketsRequested == 2 && down.Recovery.MissingUpstream + down.Recovery.NotHeld == 2);
        Assert.Equal(1, down.Recovery.MissingUpstream);
        Assert.Equal(1, down.Recovery.NotHeld);
        Assert.Equal(0, down.Recovery.PacketsRetransmitted);

        // Once the publisher's repair arrives it is forwarded under the number the subscriber asked for.
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0xA1, 12, 36000, false)));
        AwaitCondition(() => down.PacketsSent == 4);
        Assert.Equal(gap, BinaryPrimitives.ReadUInt16BigEndian(Assert.Single(Drain(subscriber.Egress)).AsSpan(2)));
        Assert.Equal(1, track.Recovery.PacketsRepaired);
    }

    [Fact]
    public void Nacks_for_another_ssrc_answer_nothing()
    {
        var (subscriber, down, sent) = ForwardThree(rtx: true);
        var feedback = Feedback(subscriber);
        feedback.SendNext(NackFor(0x9999, BinaryPrimitives.ReadUInt16BigEndian(sent[1].AsSpan(2))));
        var pli = new byte[12];
        PictureLossIndication.Write(pli, 0x77, 0x5001);
        feedback.SendNext(RtpTestHarness.ToPacket(pli, rtcp: true));
        AwaitCondition(() => down.PliReceived == 1);
        Assert.Equal(0, down.Recovery.PacketsRequested);
        Assert.Equal(0, subscriber.Egress.Reader.Count);
    }

    [Fact]
    public void Impairment_stage_drops_rtp_of_the_matching_participant_only_and_counts_per_ssrc()
    {
        var (t, _, _) = _h.KeyedTransport();
        var session = new MediaSession(t, _h.Time, 256, 0, "PA_impaired_" + Guid.NewGuid().ToString("N"));
        var rule = new ImpairmentRule(session.Cname, ImpairmentDirection.Ingress, 0.2, seed: 7);
        var other = new ImpairmentRule("someone-else", ImpairmentDirection.Ingress, 1.0, seed: 7);
        PacketImpairment.Add(rule);
        PacketImpairment.Add(other);
        try
        {
            var (src, sink) = this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(new ImpairmentStage(session, ImpairmentDirection.Ingress)))
                .ToMaterialized(this.SinkProbe<MediaPacket>(), Keep.Both).Run(_mat);
            sink.Request(10_000);
            var rr = new byte[8];
            ReceiverReport.Write(rr, 1, []);
            for (var i = 0; i < 1000; i++)
            {
                src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0xA1, (ushort)i, 0, false)));
                if (i % 100 == 0) src.SendNext(RtpTestHarness.ToPacket(rr, rtcp: true));
            }
            AwaitCondition(() => rule.Passed + rule.Dropped == 1000);
            Assert.InRange(rule.Dropped, 150, 250);
            Assert.Equal(rule.Dropped, rule.DroppedFor(0xA1));
            Assert.Equal(0, other.Dropped);
            var received = 0;
            while (received < 1000 - rule.Dropped + 10)
            {
                sink.ExpectNext().Release();
                received++;
            }
            Assert.Contains(session, PacketImpairment.Sessions);
        }
        finally
        {
            PacketImpairment.Remove(rule);
            PacketImpairment.Remove(other);
        }
    }
}
