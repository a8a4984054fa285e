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
}

/// <summary>Process-wide media counters by <see cref="MediaCounter"/>, like <see cref="DropCounters"/>.</summary>
public static class MediaCounters
{
    private static readonly long[] Counts = new long[Enum.GetValues<MediaCounter>().Length];

    public static void Add(MediaCounter counter, long amount) => Interlocked.Add(ref Counts[(int)counter], amount);
    public static void Increment(MediaCounter counter) => Interlocked.Increment(ref Counts[(int)counter]);
    public static long Get(MediaCounter counter) => Interlocked.Read(ref Counts[(int)counter]);
}
