using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Recovery;

/// <summary>
/// The subscriber leg of loss recovery: answers a subscriber's generic NACK (RFC 4585 §6.2.1) from the
/// down-track's <see cref="RetransmissionBuffer"/>, as RTX (RFC 4588) where the subscriber accepted it, else as
/// the same packet again. Retransmissions join the subscriber's egress queue, so SRTP protection stays on one thread.
/// </summary>
/// <remarks>
/// A NACK for a packet the SFU never received (lost on the publisher leg) is not relayed upstream again: the
/// publisher's <see cref="NackGenerator"/> already asks for every gap once per round trip, and the repaired packet is
/// forwarded to every subscriber when it arrives. Such requests count as <see cref="RetransmissionCounters.MissingUpstream"/>;
/// those for packets older than the buffer (or never sent) as <see cref="RetransmissionCounters.NotHeld"/>.
/// </remarks>
public static class SubscriberRecovery
{
    /// <summary>A packet is not sent twice within this, or within the subscriber's round trip if longer.</summary>
    public static readonly TimeSpan MinResendInterval = TimeSpan.FromMilliseconds(5);

    public static void OnNack(DownTrack down, GenericNack nack)
    {
        var counters = down.Recovery;
        var buffer = down.Retransmissions;
        var rtt = TimeSpan.FromMilliseconds(down.RoundTripMs);
        var minResend = rtt > MinResendInterval ? rtt : MinResendInterval;
        foreach (var sequence in nack.LostSequenceNumbers)
        {
            Interlocked.Increment(ref counters.PacketsRequested);
            if (buffer is null)
            {
                CountUnanswered(down, sequence);
                continue;
            }
            var packet = MediaPacket.Rent();
            // Two bytes of room for the OSN, the SRTP tag after that.
            var space = packet.Buffer.AsSpan(0, MediaPacket.BufferSize - 64);
            var found = buffer.TryCopy(sequence, minResend, space[..^RtxPacket.OsnLength], out var length);
            if (found != RetransmitLookup.Copied)
            {
                packet.Release();
                if (found == RetransmitLookup.TooSoon) Interlocked.Increment(ref counters.TooSoon);
                else CountUnanswered(down, sequence);
                continue;
            }
            packet.Length = length;
            packet.Ssrc = down.Ssrc;
            if (down.RtxPayloadType is { } rtxPt)
            {
                if (!RtxPacket.TryWrap(space, length, rtxPt, down.RtxSsrc, down.NextRtxSequence(), out var rtxLength))
                {
                    packet.Release();
                    continue;
                }
                packet.Length = rtxLength;
                packet.Ssrc = down.RtxSsrc;
                Interlocked.Increment(ref counters.RtxRetransmitted);
                MediaCounters.Increment(MediaCounter.RetransmissionsRtx);
            }
            else MediaCounters.Increment(MediaCounter.RetransmissionsPlain);
            Interlocked.Increment(ref counters.PacketsRetransmitted);
            down.Subscriber.Egress.Offer(packet);
        }
    }

    private static void CountUnanswered(DownTrack down, ushort sequence)
    {
        if (down.IsMissingUpstream(sequence))
        {
            Interlocked.Increment(ref down.Recovery.MissingUpstream);
            MediaCounters.Increment(MediaCounter.NacksMissingUpstream);
        }
        else
        {
            Interlocked.Increment(ref down.Recovery.NotHeld);
            MediaCounters.Increment(MediaCounter.NacksUnanswerable);
        }
    }
}
