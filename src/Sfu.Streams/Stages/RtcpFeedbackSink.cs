using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>Consumes the RTCP a peer sends (keyframe requests, reports, NACKs).</summary>
public sealed class RtcpFeedbackSink(MediaSession session) : PacketSink("rtcp-feedback")
{
    protected override void Consume(MediaPacket packet)
    {
        try
        {
            RtcpFeedback.Handle(session, packet.Span, packet.ArrivalTimestamp);
        }
        finally
        {
            packet.Release();
        }
    }
}
