using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Pipeline;
using Sfu.Streams.Stages;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Stages;

public sealed class ForwardingStageTests : TestKit
{
    private readonly RtpTestHarness _h = new();
    private readonly IMaterializer _mat;

    public ForwardingStageTests() => _mat = Sys.Materializer();

    protected override void Dispose(bool disposing)
    {
        _h.Dispose();
        base.Dispose(disposing);
    }

    private readonly ManualTime _clock = new();

    private (MediaSession Publisher, UpTrack Track) Published(params uint[] ssrcs)
    {
        var (t, _, _) = _h.KeyedTransport();
        var session = _h.Session(t);
        var track = new UpTrack("TR_1", "PA_pub", "camera", RtpTestHarness.VideoTrack("0", ssrcs), session, _clock);
        session.AddUpTrack(track);
        return (session, track);
    }

    private (MediaSession Subscriber, DownTrack Down) Subscribe(UpTrack track, uint ssrc, byte pt = 96)
    {
        var (t, _, _) = _h.KeyedTransport();
        var session = _h.Session(t);
        var down = new DownTrack(track, session, ssrc, pt, new Dictionary<int, int>(), _h.Time);
        session.AddDownTrack(down);
        track.Add(down);
        return (session, down);
    }

    private static List<MediaPacket> Drain(MediaQueue q)
    {
        var list = new List<MediaPacket>();
        while (q.Reader.TryRead(out var p)) list.Add(p);
        return list;
    }

    [Fact]
    public void Ingress_stage_resolves_the_stream_extends_sequence_numbers_and_flags_keyframes()
    {
        var (publisher, track) = Published(0xAAAA);
        var (src, sink) = this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(new RtpIngressStage(publisher)))
            .ToMaterialized(this.SinkProbe<MediaPacket>(), Keep.Both).Run(_mat);
        sink.Request(3);
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0xAAAA, 65535, 0, keyframe: true)));
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0xAAAA, 0, 3000, keyframe: false)));
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0xBBBB, 1, 3000, keyframe: false)));
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0xAAAA, 1, 6000, keyframe: false)));
        var a = sink.ExpectNext();
        var b = sink.ExpectNext();
        var c = sink.ExpectNext();
        Assert.True(a.IsKeyframe);
        Assert.False(b.IsKeyframe);
        Assert.Equal(a.ExtendedSequence + 1, b.ExtendedSequence);
        Assert.Equal(b.ExtendedSequence + 1, c.ExtendedSequence);
        Assert.Same(track, ((RtpReceiveStream)a.Route!).Track);
    }

    [Fact]
    public void Ingress_stage_binds_an_unannounced_ssrc_through_the_mid_extension()
    {
        var (publisher, track) = Published();
        var (src, sink) = this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(new RtpIngressStage(publisher)))
            .ToMaterialized(this.SinkProbe<MediaPacket>(), Keep.Both).Run(_mat);
        sink.Request(1);
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0xCAFE, 10, 0, true, mid: "0")));
        var p = sink.ExpectNext();
        Assert.Equal(0xCAFEu, ((RtpReceiveStream)p.Route!).Ssrc);
        Assert.Single(track.Streams);
    }

    [Fact]
    public void Forward_sink_copies_each_packet_to_every_subscriber_rewritten_starting_at_a_keyframe()
    {
        var (publisher, track) = Published(0x1111);
        var (sub1, _) = Subscribe(track, 0x5001, pt: 100);
        var (sub2, _) = Subscribe(track, 0x5002, pt: 101);
        var src = this.SourceProbe<MediaPacket>()
            .Via(Flow.FromGraph(new RtpIngressStage(publisher)))
            .ToMaterialized(Sink.FromGraph(new ForwardSink()), Keep.Left).Run(_mat);
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0x1111, 500, 1000, keyframe: false)));
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0x1111, 501, 1000, keyframe: true)));
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0x1111, 502, 4000, keyframe: false)));
        AwaitCondition(() => sub1.Egress.Reader.Count == 2 && sub2.Egress.Reader.Count == 2);

        foreach (var (session, ssrc, pt) in new[] { (sub1, 0x5001u, (byte)100), (sub2, 0x5002u, (byte)101) })
        {
            var packets = Drain(session.Egress);
            Assert.True(RtpHeader.TryParse(packets[0].Span, out var h0));
            Assert.True(RtpHeader.TryParse(packets[1].Span, out var h1));
            Assert.Equal(ssrc, h0.Ssrc);
            Assert.Equal(pt, h0.PayloadType);
            Assert.Equal((ushort)(h0.SequenceNumber + 1), h1.SequenceNumber);
            Assert.Equal(h0.Timestamp + 3000, h1.Timestamp);
        }
        // The packet before the keyframe was not forwarded; the publisher was asked for a keyframe instead.
        Assert.True(track.KeyframeRequestsSent >= 1);
    }

    [Fact]
    public void Inline_egress_sends_each_copy_srtp_protected_to_the_subscriber_address()
    {
        var (publisher, track) = Published(0x1212);
        var (t, _, peerUnprotect, client) = _h.ConnectedTransport();
        using var _ = client;
        var subscriber = new MediaSession(t, _h.Time, 256, 0, "sub");
        var down = new DownTrack(track, subscriber, 0x9001, 96, new Dictionary<int, int>(), _h.Time);
        subscriber.AddDownTrack(down);
        track.Add(down);
        var src = this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(new RtpIngressStage(publisher)))
            .ToMaterialized(Sink.FromGraph(new ForwardSink()), Keep.Left).Run(_mat);
        var plain = RtpTestHarness.Vp8Packet(0x1212, 40, 9000, keyframe: true);
        src.SendNext(RtpTestHarness.ToPacket(plain));

        var buffer = new byte[1500];
        var n = client.Receive(buffer);
        Assert.NotEqual(plain[12..], buffer[12..plain.Length]);
        Assert.Equal(Sfu.WebRtc.Srtp.SrtpResult.Ok, peerUnprotect.UnprotectRtp(buffer, n, out var length));
        Assert.True(RtpHeader.TryParse(buffer.AsSpan(0, length), out var h));
        Assert.Equal(0x9001u, h.Ssrc);
        Assert.Equal(plain[12..], buffer[h.HeaderLength..length]);
        Assert.Equal(0, subscriber.Egress.Reader.Count);
    }

    [Fact]
    public void Subscriber_pli_reaches_the_publisher_as_a_pli_for_its_ssrc_throttled()
    {
        var (publisher, track) = Published(0x2222);
        var (subscriber, down) = Subscribe(track, 0x6001);
        // Subscribing asked for a keyframe already; the next request may go out 500 ms later.
        Drain(publisher.Egress);
        _clock.Advance(TimeSpan.FromMilliseconds(600));
        var src = this.SourceProbe<MediaPacket>().ToMaterialized(Sink.FromGraph(new RtcpFeedbackSink(subscriber)), Keep.Left).Run(_mat);
        var buffer = new byte[32];
        var n = PictureLossIndication.Write(buffer, 0x77, 0x6001);
        src.SendNext(RtpTestHarness.ToPacket(buffer[..n], rtcp: true));
        src.SendNext(RtpTestHarness.ToPacket(buffer[..n], rtcp: true));
        AwaitCondition(() => down.PliReceived == 2);
        var sent = Drain(publisher.Egress);
        // Both PLIs arrived within 500 ms of each other: only one reaches the publisher.
        var pli = Assert.Single(sent);
        Assert.True(pli.IsRtcp);
        Assert.True(PictureLossIndication.TryParse(pli.Span, out var parsed));
        Assert.Equal(0x2222u, parsed.MediaSsrc);
        Assert.Equal(publisher.LocalSsrc, parsed.SenderSsrc);
    }

    [Fact]
    public void Receiver_reports_set_subscriber_loss_and_jitter()
    {
        var (_, track) = Published(0x3333);
        var (subscriber, down) = Subscribe(track, 0x7001);
        var src = this.SourceProbe<MediaPacket>().ToMaterialized(Sink.FromGraph(new RtcpFeedbackSink(subscriber)), Keep.Left).Run(_mat);
        var buffer = new byte[64];
        var n = ReceiverReport.Write(buffer, 0x88, [new ReportBlock(0x7001, 64, 10, 1000, 90, 0, 0)]);
        src.SendNext(RtpTestHarness.ToPacket(buffer[..n], rtcp: true));
        AwaitCondition(() => down.FractionLost == 64);
        Assert.Equal(90u, down.Jitter);
    }

    [Fact]
    public void Report_builder_writes_sender_reports_for_forwarded_streams()
    {
        var (publisher, track) = Published(0x4444);
        var (subscriber, down) = Subscribe(track, 0x8001);
        var ingress = new RtpIngressStage(publisher);
        var src = this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(ingress)).ToMaterialized(Sink.FromGraph(new ForwardSink()), Keep.Left).Run(_mat);
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0x4444, 1, 1000, keyframe: true)));
        AwaitCondition(() => down.PacketsSent == 1);
        var dest = new byte[1500];
        var len = RtcpReports.Build(subscriber, dest);
        var reader = new RtcpCompoundReader(dest.AsSpan(0, len));
        Assert.True(reader.TryNext(out var header, out var first));
        Assert.Equal(RtcpPacketType.SR, header.PacketType);
        Assert.True(SenderReport.TryParse(first, out var sr));
        Assert.Equal(0x8001u, sr.Ssrc);
        Assert.Equal(1u, sr.PacketCount);
        // The publisher side reports reception (RR) for what it received.
        var pubLen = RtcpReports.Build(publisher, dest);
        var pubReader = new RtcpCompoundReader(dest.AsSpan(0, pubLen));
        Assert.True(pubReader.TryNext(out var rrHeader, out var rrPacket));
        Assert.Equal(RtcpPacketType.RR, rrHeader.PacketType);
        Assert.True(ReceiverReport.TryParse(rrPacket, out var rr));
        Assert.Equal(0x4444u, rr.ReportBlocks[0].Ssrc);
    }

    [Fact]
    public void Receiver_reports_to_the_publisher_carry_the_measured_interarrival_jitter()
    {
        var (publisher, track) = Published(0x4545);
        var ingress = new RtpIngressStage(publisher);
        var src = this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(ingress)).ToMaterialized(Sink.FromGraph(new ForwardSink()), Keep.Left).Run(_mat);
        src.SendNext(RtpTestHarness.ToPacket(RtpTestHarness.Vp8Packet(0x4545, 1, 1000, keyframe: true)));
        AwaitCondition(() => track.Streams.Length == 1 && track.Streams[0].Statistics.Received == 1);
        var stats = track.Streams[0].Statistics;
        // Arrivals 20 ms off their 33 ms pacing, straight into the statistics the report is built from.
        for (var i = 2; i < 12; i++) stats.OnPacket(i, (uint)(1000 + i * 3000), 10_000_000 + i * 33_333L + (i % 2 == 0 ? 20_000 : 0));
        Assert.True(stats.Jitter > 90, $"jitter {stats.Jitter}");
        var dest = new byte[1500];
        var len = RtcpReports.Build(publisher, dest);
        var reader = new RtcpCompoundReader(dest.AsSpan(0, len));
        Assert.True(reader.TryNext(out var header, out var packet));
        Assert.Equal(RtcpPacketType.RR, header.PacketType);
        Assert.True(ReceiverReport.TryParse(packet, out var rr));
        Assert.Equal((uint)stats.Jitter, rr.ReportBlocks[0].Jitter);
    }
}
