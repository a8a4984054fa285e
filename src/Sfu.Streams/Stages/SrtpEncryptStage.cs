using Sfu.WebRtc.Srtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>Protects outgoing RTP and RTCP in place with the transport's outbound SRTP context.</summary>
public sealed class SrtpEncryptStage(WebRtcTransport transport) : PacketStage("srtp-encrypt")
{
    protected override bool Process(MediaPacket packet)
    {
        var context = transport.Outbound;
        if (context is null)
        {
            DropCounters.Count(DropReason.NotConnected);
            return false;
        }
        SrtpResult result;
        int length;
        // Forwarded media is protected on publishers' threads under this same lock (MediaSession.SendMedia).
        lock (context)
        {
            result = packet.IsRtcp
                ? context.ProtectRtcp(packet.Buffer, packet.Length, out length)
                : context.ProtectRtp(packet.Buffer, packet.Length, out length);
        }
        if (result != SrtpResult.Ok) return false;
        packet.Length = length;
        return true;
    }
}
