namespace Sfu.WebRtc.Transport;

/// <summary>What the media path counts process-wide (besides drops), for metrics: totals that outlive the transports and tracks that produced them.</summary>
public enum MediaCounter
{
    /// <summary>SRTP/SRTCP bytes received by transports (every media datagram that reached a known peer).</summary>
    BytesReceived,
    /// <summary>SRTP/SRTCP bytes sent to peers.</summary>
    BytesSent,
    /// <summary>RTCP Generic NACKs (RFC 4585 §6.2.1) received from subscribers.</summary>
    NacksReceived,
    /// <summary>Picture Loss Indications (RFC 4585 §6.3.1) received from subscribers.</summary>
    PlisReceived,
    /// <summary>Full Intra Requests (RFC 5104 §4.3.1) received from subscribers.</summary>
    FirsReceived,
    /// <summary>Keyframe requests (PLI or FIR) sent to publishers.</summary>
    KeyframeRequestsSent,
    /// <summary>Keyframe requests collapsed by the per-track throttle instead of being sent.</summary>
    KeyframeRequestsThrottled,
    /// <summary>Keyframe requests (sent or throttled) relaying a subscriber's PLI or FIR.</summary>
    KeyframeRequestsForSubscriber,
    /// <summary>Keyframe requests (sent or throttled) so a new subscriber starts on a keyframe.</summary>
    KeyframeRequestsForNewSubscriber,
    /// <summary>Keyframe requests (sent or throttled) for a subscriber switching simulcast layer.</summary>
    KeyframeRequestsForLayerSwitch,
    /// <summary>Keyframe requests (sent or throttled) because a publisher-leg loss could not be repaired.</summary>
    KeyframeRequestsForLoss,
    /// <summary>Generic NACK packets sent to publishers.</summary>
    NacksSent,
    /// <summary>Packets missing from publishers that arrived after all (retransmitted or late).</summary>
    PacketsRepaired,
    /// <summary>Of <see cref="PacketsRepaired"/>: those that arrived before their frame was due.</summary>
    PacketsRepairedInTime,
    /// <summary>Packets missing from publishers that were given up on.</summary>
    PacketsUnrepaired,
    /// <summary>RTX packets from publishers restored to their original stream.</summary>
    RtxRestored,
    /// <summary>Lost packets from publishers rebuilt by the SFU from their FlexFEC.</summary>
    FecRecovered,
    /// <summary>Packets retransmitted to subscribers as RTX (RFC 4588).</summary>
    RetransmissionsRtx,
    /// <summary>Packets retransmitted to subscribers as the same packet again (no RTX negotiated).</summary>
    RetransmissionsPlain,
    /// <summary>Sequence numbers subscribers NACKed that the retransmission buffer no longer held (or never sent).</summary>
    NacksUnanswerable,
    /// <summary>Sequence numbers subscribers NACKed that the SFU is itself still missing from the publisher.</summary>
    NacksMissingUpstream,
}

/// <summary>Process-wide media counters by <see cref="MediaCounter"/>, like <see cref="DropCounters"/>.</summary>
public static class MediaCounters
{
    private static readonly long[] Counts = new long[Enum.GetValues<MediaCounter>().Length];

    public static void Add(MediaCounter counter, long amount) => Interlocked.Add(ref Counts[(int)counter], amount);
    public static void Increment(MediaCounter counter) => Interlocked.Increment(ref Counts[(int)counter]);
    public static long Get(MediaCounter counter) => Interlocked.Read(ref Counts[(int)counter]);
}
