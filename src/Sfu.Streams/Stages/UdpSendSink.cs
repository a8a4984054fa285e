using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>Sends protected datagrams to the transport's selected remote address and records forwarding latency.</summary>
public sealed class UdpSendSink(WebRtcTransport transport, TimeProvider time, Action<TimeSpan>? latency = null) : PacketSink("udp-send")
{
    protected override void Consume(MediaPacket packet)
    {
        try
        {
            if (!transport.Send(packet.Span)) DropCounters.Count(DropReason.SendFailed);
            else if (latency is not null && packet.ArrivalTimestamp != 0 && !packet.IsRtcp)
                latency(time.GetElapsedTime(packet.ArrivalTimestamp));
        }
        finally
        {
            packet.Release();
        }
    }
}
