using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Srtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>Unprotects SRTP and SRTCP in place (RFC 3711) and marks which is which (RFC 5761 §4). Failures are counted drops.</summary>
public sealed class SrtpDecryptStage(WebRtcTransport transport) : PacketStage("srtp-decrypt")
{
    protected override bool Process(MediaPacket packet)
    {
        var context = transport.Inbound;
        if (context is null)
        {
            DropCounters.Count(DropReason.NotConnected);
            return false;
        }
        packet.IsRtcp = RtcpPacket.IsRtcp(packet.Span);
        var result = packet.IsRtcp
            ? context.UnprotectRtcp(packet.Buffer, packet.Length, out var length)
            : context.UnprotectRtp(packet.Buffer, packet.Length, out length);
        switch (result)
        {
            case SrtpResult.Ok:
                packet.Length = length;
                return true;
            case SrtpResult.ReplayDuplicate or SrtpResult.ReplayOld:
                DropCounters.Count(DropReason.SrtpReplay);
                return false;
            default:
                DropCounters.Count(DropReason.SrtpAuthFailed);
                return false;
        }
    }
}
