using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Stages;

/// <summary>
/// Numbers outgoing RTP packets that go through the egress graph (retransmissions, and media when inline egress is
/// off) with transport-wide sequence numbers, just before encryption; inline egress numbers its packets in
/// <see cref="MediaSession.SendMedia"/> the same way.
/// </summary>
public sealed class TransportCcStage(MediaSession session) : PacketStage("transport-cc")
{
    // SRTP adds the auth tag (10 bytes for AES-CM-80, 16 for GCM): count it as sent.
    internal const int SrtpOverhead = 10;

    protected override bool Process(MediaPacket packet)
    {
        if (!packet.IsRtcp && session.Bandwidth is { } bandwidth)
            bandwidth.Stamp(packet.Buffer.AsSpan(0, packet.Length), packet.Length + SrtpOverhead, packet.ProbeClusterId);
        return true;
    }
}
