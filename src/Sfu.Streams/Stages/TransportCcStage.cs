using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>
/// Numbers outgoing RTP packets with transport-wide sequence numbers in send order, just before encryption: forwarded
/// media, retransmissions and probe padding all pass here, so the estimator sees exactly what went on the wire.
/// </summary>
public sealed class TransportCcStage(MediaSession session) : PacketStage("transport-cc")
{
    // SRTP adds the auth tag (10 bytes for AES-CM-80, 16 for GCM): count it as sent.
    private const int SrtpOverhead = 10;

    protected override bool Process(MediaPacket packet)
    {
        if (!packet.IsRtcp && session.Bandwidth is { } bandwidth)
            bandwidth.Stamp(packet.Buffer.AsSpan(0, packet.Length), packet.Length + SrtpOverhead, packet.ProbeClusterId);
        return true;
    }
}
