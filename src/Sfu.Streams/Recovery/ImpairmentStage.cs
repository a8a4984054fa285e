using System.Buffers.Binary;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Stages;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Recovery;

/// <summary>
/// Test-only: drops RTP datagrams of one session by the <see cref="PacketImpairment"/> rules, as a lossy network
/// would: before SRTP unprotect on ingress, after protect on egress (the RTP header stays readable under SRTP).
/// RTCP passes untouched, so the loss measured is media loss and its repair.
/// </summary>
public sealed class ImpairmentStage : PacketStage
{
    private readonly MediaSession _session;
    private readonly ImpairmentDirection _direction;

    public ImpairmentStage(MediaSession session, ImpairmentDirection direction) : base("impairment")
    {
        _session = session;
        _direction = direction;
        PacketImpairment.Register(session);
    }

    protected override bool Process(MediaPacket packet) => !ShouldDrop(_session, _direction, packet.Span);

    /// <summary>Whether the installed rules drop this datagram of <paramref name="session"/> (also used by inline egress).</summary>
    public static bool ShouldDrop(MediaSession session, ImpairmentDirection direction, ReadOnlySpan<byte> span)
    {
        var rules = PacketImpairment.Rules;
        if (rules.Length == 0) return false;
        if (span.Length < 12 || span[0] >> 6 != 2 || RtcpPacket.IsRtcp(span)) return false;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(span[8..]);
        foreach (var rule in rules)
            if (rule.Direction == direction && rule.ParticipantId == session.Cname && rule.ShouldDrop(ssrc))
                return true;
        return false;
    }
}
