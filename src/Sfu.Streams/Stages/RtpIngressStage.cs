using Sfu.Streams.Forwarding;
using Sfu.Streams.Recovery;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>
/// Identifies the published stream an RTP packet belongs to and records what later stages need (extended
/// sequence number, keyframe flag) on the element, so nothing downstream parses the payload again. RTX
/// retransmissions are restored here into the packet they repair, and loss detection sees every packet: per stream
/// by its own sequence numbers, and across the connection by the transport-wide ones (a stream's lost next packet
/// shows there before the stream's own next packet arrives, and they tell when a lost packet was sent).
/// </summary>
public sealed class RtpIngressStage(MediaSession session) : PacketStage("rtp-ingress")
{
    /// <summary>
    /// Streams waited for before a transport-wide hole is judged must have sent within this: audio sends every 20 ms,
    /// so it always counts (see <see cref="TransportLossDetector{TStream}"/>).
    /// </summary>
    public static readonly TimeSpan ActiveWindow = TimeSpan.FromMilliseconds(60);

    private readonly TransportLossDetector<RtpReceiveStream> _transportLoss = new(ActiveWindow, session.Time.TimestampFrequency);
    private readonly TailLoss<RtpReceiveStream>[] _tailLosses = new TailLoss<RtpReceiveStream>[4];

    /// <summary>Losses seen from transport-wide sequence numbers (see <see cref="TransportLossDetector{TStream}"/>).</summary>
    public long TransportLossesReported => _transportLoss.Reported;

    protected override bool Process(MediaPacket packet)
    {
        var span = packet.Span;
        if (!RtpHeader.TryParse(span, out var header))
        {
            DropCounters.Count(DropReason.MalformedRtp);
            return false;
        }
        var now = session.Time.GetTimestamp();
        var micros = (long)(now * (1_000_000.0 / session.Time.TimestampFrequency));
        // The socket's arrival time, so queueing inside the server does not look like path delay to the publisher's
        // estimator (ours or its own); recorded before anything may drop the packet: padding probes, RTX and FEC count too.
        var arrival = packet.ArrivalTimestamp != 0 ? (long)(packet.ArrivalTimestamp * (1_000_000.0 / session.Time.TimestampFrequency)) : micros;
        var transportSequence = -1;
        if (session.TransportFeedback is { } feedback) transportSequence = feedback.OnPacket(span, header, arrival);
        else session.RembFeedback?.OnPacket(span, header, arrival);
        var found = 0;
        var keep = Route(packet, span, header, now, micros, transportSequence, ref found);
        for (var i = 0; i < found; i++)
        {
            var loss = _tailLosses[i];
            if (loss.Stream.SuspectNextLost(loss.Sequence, loss.ExpectedAt)) PublisherRecovery.SendNacks(loss.Stream);
        }
        return keep;
    }

    private bool Route(MediaPacket packet, ReadOnlySpan<byte> span, RtpHeader header, long now, long micros, int transportSequence, ref int found)
    {
        if (session.FindFec(header.Ssrc) is { } fec)
        {
            Detect(transportSequence, header, repair: true, tracked: null, now, ref found);
            if (fec.Track.FecRecovery?.TryRecover(packet, header, fec.Track) is { } protectedStream)
            {
                // The FEC packet is now the media packet it rebuilt: on as a repair (its NACK is withdrawn). The FEC
                // packet itself is not forwarded: the subscriber gets the packet it would have repaired.
                Interlocked.Increment(ref fec.Track.Fec.Received);
                span = packet.Span;
                if (!RtpHeader.TryParse(span, out header))
                {
                    // Only a publisher's own malformed FEC can rebuild this (e.g. a CSRC count past the end).
                    DropCounters.Count(DropReason.MalformedRtp);
                    return false;
                }
                return Accept(packet, span, header, protectedStream, now, micros, Repair.Fec, sentAfter: 0);
            }
            // FEC packets are not media: no loss detection or NACK for them (libwebrtc does not retransmit FEC).
            packet.Ssrc = header.Ssrc;
            packet.Route = fec;
            return header.PayloadLength > 0;
        }
        var stream = session.ResolveStream(span, header, out var repaired);
        // Before the stream records the packet: the detector tells when the packets of a gap it closes were sent.
        var sentAfter = Detect(transportSequence, header, repaired, !repaired && stream?.Nack is not null ? stream : null, now, ref found);
        if (stream is null)
        {
            DropCounters.Count(DropReason.UnknownSsrc);
            return false;
        }
        if (repaired)
        {
            if (!PublisherRecovery.TryRestoreRtx(packet, header, stream)) return false;
            span = packet.Span;
            RtpHeader.TryParse(span, out header);
        }
        return Accept(packet, span, header, stream, now, micros, repaired ? Repair.Rtx : Repair.None, sentAfter);
    }

    /// <summary>Records a media packet on its stream (loss detection, repairs) and routes it to forwarding.</summary>
    private static bool Accept(MediaPacket packet, ReadOnlySpan<byte> span, in RtpHeader header, RtpReceiveStream stream, long now, long micros,
        Repair repair, long sentAfter)
    {
        packet.Ssrc = header.Ssrc;
        packet.ExtendedSequence = stream.OnPacket(span, header, now, micros, repair != Repair.None, out var keyframe, out var outcome, sentAfter,
            rebuilt: repair == Repair.Fec);
        if ((repair != Repair.None || outcome != NackOutcome.InOrder) && !PublisherRecovery.OnPacket(stream, outcome, repair)) return false;
        packet.IsKeyframe = keyframe;
        // Only an RTX restore differs from what the publisher sent (its header extensions): FEC rebuilds the original.
        packet.Restored = repair == Repair.Rtx;
        packet.Route = stream;
        return header.PayloadLength > 0 || !header.Padding;
    }

    /// <summary>Feeds the transport-wide loss detector (wire SSRC and sequence number: the RTX ones for RTX); returns its hint for a gap.</summary>
    private long Detect(int transportSequence, in RtpHeader header, bool repair, RtpReceiveStream? tracked, long now, ref int found)
    {
        if (transportSequence < 0) return 0;
        found = _transportLoss.OnPacket((ushort)transportSequence, header.Ssrc, header.SequenceNumber, header.Marker, repair, tracked, now,
            _tailLosses, out var sentAfter);
        return sentAfter;
    }
}
