using System.Buffers.Binary;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using Sfu.Streams.Bandwidth;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Stages;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Bandwidth;

/// <summary>REMB toward publishers that negotiated abs-send-time but not transport-cc.</summary>
public sealed class PublisherRembTests : TestKit
{
    private const byte AbsSendTimeId = 2;
    private readonly RtpTestHarness _h = new();

    protected override void Dispose(bool disposing)
    {
        _h.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>An RTP packet with a one-byte header extension (RFC 8285 §4.2) carrying abs-send-time.</summary>
    private static byte[] Packet(ushort sequence, long sentMicros, uint ssrc = 0xAAAA, int size = 1200)
    {
        var packet = new byte[size];
        packet[0] = 0x90;
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        packet[12] = 0xBE;
        packet[13] = 0xDE;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), 1);
        packet[16] = AbsSendTimeId << 4 | 2;
        AbsSendTime.Write(packet.AsSpan(17), AbsSendTime.FromMicroseconds(sentMicros));
        return packet;
    }

    private static void Feed(PublisherRemb remb, long bps, long seconds, BottleneckLink? link = null, long startMicros = 0)
    {
        var interval = 1200L * 8 * 1_000_000 / bps;
        ushort sequence = 0;
        for (var send = 0L; send < seconds * 1_000_000; send += interval)
        {
            var arrival = link?.Send(send, 1200) ?? send + 20_000;
            if (arrival < 0) continue;
            var data = Packet(sequence++, startMicros + send);
            RtpHeader.TryParse(data, out var header);
            remb.OnPacket(data, header, startMicros + arrival);
        }
    }

    [Fact]
    public void A_publisher_sending_above_its_link_is_told_less_than_the_link_and_at_once()
    {
        var time = new ManualTime();
        var remb = new PublisherRemb(AbsSendTimeId, capBps: 2_500_000, time);
        Assert.Equal(2_500_000, remb.Bps);

        Feed(remb, 1_500_000, 4, new BottleneckLink(1_000_000, 20_000, queueLimitBytes: 200_000));

        Assert.InRange(remb.Bps, 100_000, 1_000_000);
        Assert.True(remb.PacketsRecorded > 300);
        // Fallen well over 3 % below the last REMB (the cap), but one went out less than 200 ms ago.
        Assert.False(remb.DecreaseIsUrgent);
        time.Advance(PublisherRemb.MinUrgentInterval);
        Assert.True(remb.DecreaseIsUrgent);
        Assert.Equal(remb.Bps, remb.TakeForReport());
        time.Advance(PublisherRemb.MinUrgentInterval);
        Assert.False(remb.DecreaseIsUrgent);
    }

    [Fact]
    public void An_uncongested_publisher_is_told_the_cap_as_before()
    {
        var time = new ManualTime();
        var remb = new PublisherRemb(AbsSendTimeId, capBps: 1_000_000, time);
        Feed(remb, 800_000, 5);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1_000_000, remb.Bps);
        Assert.False(remb.DecreaseIsUrgent);
    }

    [Fact]
    public void Packets_without_the_extension_are_not_counted()
    {
        var remb = new PublisherRemb(AbsSendTimeId, 1_000_000, new ManualTime());
        var data = PublisherFeedbackTests.Packet(1, ssrc: 0xAAAA, id: 3);
        RtpHeader.TryParse(data, out var header);
        remb.OnPacket(data, header, 0);
        Assert.Equal(0, remb.PacketsRecorded);
    }

    private MediaSession Publisher(bool transportCc)
    {
        var (t, _, _) = _h.KeyedTransport();
        var session = _h.Session(t, maxBitrate: 2_000_000);
        var extensions = new Dictionary<string, int> { [RtpExtensionUris.Mid] = RtpTestHarness.MidExtensionId, [RtpExtensionUris.AbsSendTime] = AbsSendTimeId };
        if (transportCc) extensions[RtpExtensionUris.TransportWideCc] = 3;
        var description = RtpTestHarness.VideoTrack("0", 0xAAAA) with { ExtensionIds = extensions };
        session.AddUpTrack(new UpTrack("TR_1", "PA_pub", "camera", description, session, new ManualTime()));
        return session;
    }

    [Fact]
    public void Only_a_publisher_without_transport_cc_gets_the_receive_side_estimate()
    {
        var withTransportCc = Publisher(transportCc: true);
        Assert.NotNull(withTransportCc.TransportFeedback);
        Assert.Null(withTransportCc.RembFeedback);
        var without = Publisher(transportCc: false);
        Assert.Null(without.TransportFeedback);
        Assert.NotNull(without.RembFeedback);
    }

    [Fact]
    public void Ingress_feeds_the_estimate_and_the_receiver_report_carries_it_as_remb()
    {
        var session = Publisher(transportCc: false);
        var (src, sink) = this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(new RtpIngressStage(session)))
            .ToMaterialized(this.SinkProbe<MediaPacket>(), Keep.Both).Run(Sys.Materializer());
        sink.Request(10);
        for (ushort i = 0; i < 3; i++)
        {
            src.SendNext(RtpTestHarness.ToPacket(Packet(i, i * 10_000L)));
            sink.ExpectNext().Release();
        }
        src.SendComplete();
        sink.ExpectComplete();
        Assert.Equal(3, session.RembFeedback!.PacketsRecorded);
    }

    [Fact]
    public void The_receiver_report_carries_the_lowered_estimate_as_remb_not_the_cap()
    {
        var session = Publisher(transportCc: false);
        session.ReceiveStreams.Single().Statistics.OnPacket(1, 0, 0);
        Feed(session.RembFeedback!, 1_500_000, 4, new BottleneckLink(1_000_000, 20_000, queueLimitBytes: 200_000));
        Assert.True(session.RembFeedback!.Bps < 1_000_000);

        var report = new byte[1500];
        var n = RtcpReports.Build(session, report);
        ulong? bitrate = null;
        for (var offset = 0; offset + 4 <= n;)
        {
            var length = (BinaryPrimitives.ReadUInt16BigEndian(report.AsSpan(offset + 2)) + 1) * 4;
            if (Remb.TryParse(report.AsSpan(offset, length), out var remb)) bitrate = remb.Bitrate;
            offset += length;
        }
        // REMB carries an 18-bit mantissa and an exponent: exact to a few bps at this rate.
        Assert.NotNull(bitrate);
        Assert.InRange((double)bitrate!.Value, session.RembFeedback.Bps * 0.999, session.RembFeedback.Bps * 1.001);
    }
}
