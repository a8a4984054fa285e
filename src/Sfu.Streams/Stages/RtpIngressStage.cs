using Sfu.Streams.Forwarding;
using Sfu.Streams.Recovery;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>
/// Identifies the published stream an RTP packet belongs to and records what later stages need (extended
/// sequence number, keyframe flag) on the element, so nothing downstream parses the payload again. RTX
/// retransmissions are restored here into the packet they repair, and loss detection sees every packet.
/// </summary>
public sealed class RtpIngressStage(MediaSession session) : PacketStage("rtp-ingress")
{
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
        if (session.TransportFeedback is { } feedback)
        {
            // The socket's arrival time, so queueing inside the server does not look like path delay to the publisher's
            // estimator; recorded before anything may drop the packet: padding probes, RTX and FEC count toward it too.
            var arrival = packet.ArrivalTimestamp != 0 ? (long)(packet.ArrivalTimestamp * (1_000_000.0 / session.Time.TimestampFrequency)) : micros;
            feedback.OnPacket(span, header, arrival);
        }
        if (session.FindFec(header.Ssrc) is { } fec)
        {
            // FEC packets are not media: no loss detection or NACK for them (libwebrtc does not retransmit FEC).
            packet.Ssrc = header.Ssrc;
            packet.Route = fec;
            return header.PayloadLength > 0;
        }
        var stream = session.ResolveStream(span, header, out var repaired);
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
        packet.Ssrc = header.Ssrc;
        packet.ExtendedSequence = stream.OnPacket(span, header, now, micros, repaired, out var keyframe, out var outcome);
        if ((repaired || outcome != NackOutcome.InOrder) && !PublisherRecovery.OnPacket(stream, outcome, repaired)) return false;
        packet.IsKeyframe = keyframe;
        packet.Restored = repaired;
        packet.Route = stream;
        return header.PayloadLength > 0 || !header.Padding;
    }
}
