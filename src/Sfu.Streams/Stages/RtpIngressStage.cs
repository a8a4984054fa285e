using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>
/// Identifies the published stream an RTP packet belongs to and records what later stages need (extended
/// sequence number, keyframe flag) on the element, so nothing downstream parses the payload again.
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
        var stream = session.ResolveReceiveStream(span, header);
        if (stream is null)
        {
            DropCounters.Count(DropReason.UnknownSsrc);
            return false;
        }
        var now = session.Time.GetTimestamp();
        var micros = (long)(now * (1_000_000.0 / session.Time.TimestampFrequency));
        packet.Ssrc = header.Ssrc;
        packet.ExtendedSequence = stream.OnPacket(span, header, now, micros, out var keyframe);
        packet.IsKeyframe = keyframe;
        packet.Route = stream;
        return header.PayloadLength > 0 || !header.Padding;
    }
}
