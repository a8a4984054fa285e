using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Stages;
using Sfu.Streams.Tests.Bandwidth;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Stages;

/// <summary>Ingress records transport-wide arrivals for the publisher's feedback, including packets it then drops.</summary>
public sealed class PublisherFeedbackStageTests : TestKit
{
    private readonly RtpTestHarness _h = new();

    protected override void Dispose(bool disposing)
    {
        _h.Dispose();
        base.Dispose(disposing);
    }

    private MediaSession Publisher(bool transportCc)
    {
        var (t, _, _) = _h.KeyedTransport();
        var session = _h.Session(t);
        var description = RtpTestHarness.VideoTrack("0", 0xAAAA);
        if (transportCc)
            description = description with
            {
                ExtensionIds = new Dictionary<string, int> { [RtpExtensionUris.Mid] = RtpTestHarness.MidExtensionId, [RtpExtensionUris.TransportWideCc] = 3 },
            };
        session.AddUpTrack(new UpTrack("TR_1", "PA_pub", "camera", description, session, new ManualTime()));
        return session;
    }

    [Fact]
    public void Every_rtp_packet_with_a_sequence_is_recorded_even_those_ingress_drops()
    {
        var session = Publisher(transportCc: true);
        Assert.NotNull(session.TransportFeedback);
        var (src, sink) = this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(new RtpIngressStage(session)))
            .ToMaterialized(this.SinkProbe<MediaPacket>(), Keep.Both).Run(Sys.Materializer());
        sink.Request(10);
        src.SendNext(RtpTestHarness.ToPacket(PublisherFeedbackTests.Packet(1, ssrc: 0xAAAA)));
        // An SSRC nobody announced (a probe before any binding): dropped, yet its arrival counts.
        src.SendNext(RtpTestHarness.ToPacket(PublisherFeedbackTests.Packet(2, ssrc: 0xBBBB)));
        src.SendNext(RtpTestHarness.ToPacket(PublisherFeedbackTests.Packet(3, ssrc: 0xAAAA)));
        sink.ExpectNext().Release();
        sink.ExpectNext().Release();
        src.SendComplete();
        sink.ExpectComplete();
        Assert.Equal(3, session.TransportFeedback!.PacketsRecorded);
        var feedback = session.TransportFeedback.TryBuild(0);
        Assert.NotNull(feedback);
        Assert.True(Sfu.WebRtc.Rtcp.TransportCcFeedback.TryParse(feedback!.Span, out var parsed));
        Assert.Equal(3, parsed.PacketStatusCount);
        foreach (var status in parsed) Assert.True(status.Received);
        feedback.Release();
    }

    [Fact]
    public void Without_the_negotiated_extension_there_is_no_feedback()
    {
        Assert.Null(Publisher(transportCc: false).TransportFeedback);
    }
}
