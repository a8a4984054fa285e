namespace Sfu.Streams.Recovery;

/// <summary>
/// How a <see cref="NackGenerator"/> schedules requests. The defaults follow libwebrtc's NackRequester and
/// mediasoup's NackGenerator: ask at once, retry once per round trip plus a margin (never faster than every 20 ms), at most ten
/// times, and stop asking for a packet after a second, when a keyframe serves the decoder better than a late packet.
/// </summary>
/// <param name="ReorderDelay">How long a gap may stay open before the first request: tolerance for reordering.</param>
/// <param name="MinRetryInterval">The shortest time between two requests for one packet, whatever the round trip.</param>
/// <param name="InitialRtt">The round trip assumed until a repair measures one.</param>
/// <param name="MaxRetries">Requests per packet before giving up on it.</param>
/// <param name="MaxAge">How long after a gap was seen its packets are still worth asking for.</param>
/// <param name="MaxMissing">Open gaps beyond this many packets are not worth repairing: forget them and ask for a keyframe.</param>
/// <param name="PlayoutDelay">
/// The least playout delay before the round trip is added (webrtc.jitter_buffer_target): a repair is in time when it
/// arrives within RTT + clamp(<see cref="JitterMultiplier"/> x jitter, PlayoutDelay, <see cref="MaxPlayoutDelay"/>) of
/// the lost packet's expected arrival (see <see cref="NackGenerator"/>).
/// </param>
/// <param name="MaxPlayoutDelay">The largest playout delay (webrtc.jitter_buffer_max).</param>
/// <param name="JitterMultiplier">Playout delay per unit of measured interarrival jitter, as <c>JitterBufferSettings</c> adapts it.</param>
/// <param name="TailLossDelay">
/// How long the newest packet may stand without a marker bit (its frame unfinished) and without a successor before
/// the next sequence number is asked for once, speculatively; zero turns it off. See <see cref="NackGenerator"/>.
/// </param>
/// <param name="RetryMargin">
/// Added to the measured RTT between two requests for one packet. libwebrtc's sender ignores a NACK for a packet it
/// retransmitted less than its own RTT + 5 ms ago (RTPSender::OnReceivedNack sets the packet history's RTT to
/// 5 + avg_rtt; RtpPacketHistory::VerifyRtt), so a retry sent exactly one of our RTTs after the first request
/// reaches it just too early whenever its RTT reads a little above ours, and the repair costs a third round trip.
/// </param>
public sealed record NackSettings(
    TimeSpan ReorderDelay,
    TimeSpan MinRetryInterval,
    TimeSpan InitialRtt,
    int MaxRetries,
    TimeSpan MaxAge,
    int MaxMissing,
    TimeSpan PlayoutDelay,
    TimeSpan MaxPlayoutDelay,
    double JitterMultiplier,
    TimeSpan TailLossDelay,
    TimeSpan RetryMargin)
{
    public static readonly NackSettings Default = new(
        ReorderDelay: TimeSpan.Zero,
        MinRetryInterval: TimeSpan.FromMilliseconds(20),
        InitialRtt: TimeSpan.FromMilliseconds(100),
        MaxRetries: 10,
        MaxAge: TimeSpan.FromSeconds(1),
        MaxMissing: 500,
        PlayoutDelay: TimeSpan.FromMilliseconds(50),
        MaxPlayoutDelay: TimeSpan.FromMilliseconds(200),
        JitterMultiplier: 4,
        // Off by default: when ingress is bursty (a busy host), 10 ms of silence mid-frame is common and the probe asks
        // for packets still in flight, which the sender then sends twice. Measured figures: docs/PERFORMANCE.md.
        TailLossDelay: TimeSpan.Zero,
        // The sender's 5 ms, plus its pacer's queueing between receiving a NACK and sending the RTX, which our RTT
        // sample includes but its send-time check does not.
        RetryMargin: TimeSpan.FromMilliseconds(10));
}
