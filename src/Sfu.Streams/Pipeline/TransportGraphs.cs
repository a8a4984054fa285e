using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Recovery;
using Sfu.Streams.Stages;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Pipeline;

/// <summary>
/// The two graphs every transport runs:
/// ingress  = queue -> SRTP decrypt -> split RTP/RTCP -> (RTP ingress -> forward to subscribers) | (RTCP feedback)
/// egress   = queue (forwarded media when not inline, retransmissions, RTCP; the periodic RTCP of SessionTicker) -> SRTP encrypt -> UDP send.
/// Each returns a task that completes when its graph stops; the owning actor restarts a graph that failed.
/// </summary>
public static class TransportGraphs
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1);

    public static Task RunIngress(MediaSession session, IMaterializer materializer, Attributes? attributes = null)
    {
        var queue = Source.FromGraph(new MediaQueueSource(session.Ingress));
        if (PacketImpairment.Enabled) queue = queue.Via(Flow.FromGraph(new ImpairmentStage(session, ImpairmentDirection.Ingress)));
        var source = queue
            .Via(Flow.FromGraph(new SrtpDecryptStage(session.Transport)))
            .WatchTermination((_, done) => (Task)done);
        var graph = RunnableGraph.FromGraph(GraphDsl.Create(source, (b, src) =>
        {
            var split = b.Add(new Partition<MediaPacket>(2, p => p.IsRtcp ? 1 : 0));
            b.From(src).To(split.In);
            b.From(split.Out(0))
                .Via(Flow.FromGraph(new RtpIngressStage(session)))
                .To(Sink.FromGraph(new ForwardSink()));
            b.From(split.Out(1)).To(Sink.FromGraph(new RtcpFeedbackSink(session)));
            return ClosedShape.Instance;
        }));
        return graph.WithAttributes(attributes ?? Attributes.None).Run(materializer);
    }

    public static Task RunEgress(MediaSession session, IMaterializer materializer, Action<TimeSpan>? latency = null, Attributes? attributes = null)
    {
        // Periodic RTCP (reports, NACK retries, transport-cc feedback) comes from the shared SessionTicker through the
        // egress queue, so the graph wakes only when there is something to send.
        var encrypted = Source.FromGraph(new MediaQueueSource(session.Egress))
            .Via(Flow.FromGraph(new TransportCcStage(session)))
            .Via(Flow.FromGraph(new SrtpEncryptStage(session.Transport)));
        if (PacketImpairment.Enabled)
        {
            encrypted = encrypted.Via(Flow.FromGraph(new ImpairmentStage(session, ImpairmentDirection.Egress)));
            session.Impaired = true;
        }
        var ticker = SessionTicker.Shared;
        ticker.Register(session);
        var done = encrypted
            .WatchTermination((_, done) => (Task)done)
            .To(Sink.FromGraph(new UdpSendSink(session.Transport, session.Time, latency)))
            .WithAttributes(attributes ?? Attributes.None)
            .Run(materializer);
        done.ContinueWith(_ => ticker.Unregister(session), TaskScheduler.Default);
        return done;
    }

    internal static MediaPacket[] PublisherTick(MediaSession session)
    {
        if (session.Transport.State != TransportState.Connected) return [];
        var nack = PublisherRecovery.BuildNacks(session);
        var feedback = session.TransportFeedback?.TryBuild(
            (long)(session.Time.GetTimestamp() * (1_000_000.0 / session.Time.TimestampFrequency)));
        // A REMB-only publisher hears of a falling estimate at once, not with the next 1 s report.
        var report = session.RembFeedback is { DecreaseIsUrgent: true } ? BuildReport(session) : null;
        if (nack is null && feedback is null && report is null) return [];
        var due = new List<MediaPacket>(3);
        if (nack is not null) due.Add(nack);
        if (feedback is not null) due.Add(feedback);
        if (report is not null) due.Add(report);
        return due.ToArray();
    }

    internal static MediaPacket? BuildReport(MediaSession session)
    {
        if (session.Transport.State != TransportState.Connected) return null;
        var packet = MediaPacket.Rent();
        var n = RtcpReports.Build(session, packet.Buffer.AsSpan(0, MediaPacket.BufferSize - 64));
        if (n <= 0)
        {
            packet.Release();
            return null;
        }
        packet.Length = n;
        packet.IsRtcp = true;
        return packet;
    }
}
