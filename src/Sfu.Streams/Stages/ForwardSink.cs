using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>Hands each identified packet to its track, which copies it to every subscriber's egress queue.</summary>
public sealed class ForwardSink() : PacketSink("forward")
{
    protected override void Consume(MediaPacket packet)
    {
        try
        {
            if (packet.Route is RtpReceiveStream stream && !stream.Track.Muted) stream.Track.Forward(packet);
            else if (packet.Route is Redundancy.FecRoute fec && !fec.Track.Muted) fec.Track.ForwardFec(packet);
        }
        finally
        {
            packet.Release();
        }
    }
}
