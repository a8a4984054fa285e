using System.Buffers.Binary;
using System.Collections.Concurrent;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Stages;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Recovery;

/// <summary>
/// Test-only: drops RTP datagrams of one session by the <see cref="PacketImpairment"/> rules, as a lossy network
/// would: before SRTP unprotect on ingress, after protect on egress (the RTP header stays readable under SRTP).
/// RTCP passes untouched, so the loss measured is media loss and its repair. On ingress a
/// <see cref="ImpairmentRule.Latency"/> rule delays RTP and RTCP: a copy waits in the rule's <see cref="DelayLine"/>
/// and re-enters the session's ingress queue, marked so it passes this stage untouched the second time.
/// </summary>
public sealed class ImpairmentStage : PacketStage
{
    private readonly MediaSession _session;
    private readonly ImpairmentDirection _direction;
    private readonly ConcurrentDictionary<MediaPacket, byte> _delayed = new(ReferenceEqualityComparer.Instance);

    public ImpairmentStage(MediaSession session, ImpairmentDirection direction) : base("impairment")
    {
        _session = session;
        _direction = direction;
        PacketImpairment.Register(session);
    }

    protected override bool Process(MediaPacket packet)
    {
        if (_delayed.TryRemove(packet, out _)) return true;
        if (ShouldDrop(_session, _direction, packet.Span)) return false;
        if (_direction == ImpairmentDirection.Ingress && DelayLineFor(_session, packet.Span) is { } line)
        {
            // The stage releases the original when this returns false; the copy travels on.
            var copy = MediaPacket.CopyOf(packet.Span);
            line.Enqueue(copy, Reinject);
            return false;
        }
        return true;
    }

    private void Reinject(MediaPacket packet)
    {
        packet.ArrivalTimestamp = _session.Time.GetTimestamp();
        _delayed[packet] = 0;
        if (_session.Ingress.TryEnqueue(packet)) return;
        _delayed.TryRemove(packet, out _);
        packet.Release();
    }

    private static DelayLine? DelayLineFor(MediaSession session, ReadOnlySpan<byte> span)
    {
        var rules = PacketImpairment.Rules;
        if (rules.Length == 0 || span.Length < 8 || span[0] >> 6 != 2) return null;
        foreach (var rule in rules)
            if (rule.DelayLine is { } line && rule.ParticipantId == session.Cname) return line;
        return null;
    }

    /// <summary>Whether the installed rules drop this datagram of <paramref name="session"/> (also used by inline egress).</summary>
    public static bool ShouldDrop(MediaSession session, ImpairmentDirection direction, ReadOnlySpan<byte> span)
    {
        var rules = PacketImpairment.Rules;
        if (rules.Length == 0) return false;
        if (span.Length < 12 || span[0] >> 6 != 2 || RtcpPacket.IsRtcp(span)) return false;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(span[8..]);
        // The P bit is in the clear even in SRTP (RFC 3711 §3.1): padding-only packets are bandwidth probes.
        var padded = (span[0] & 0x20) != 0;
        foreach (var rule in rules)
            if (rule.Direction == direction && rule.ParticipantId == session.Cname && rule.ShouldDrop(ssrc, span.Length, padded))
                return true;
        return false;
    }
}
