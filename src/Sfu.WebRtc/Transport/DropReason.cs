namespace Sfu.WebRtc.Transport;

/// <summary>Why a datagram or packet was dropped; each has its own counter (and metric label).</summary>
public enum DropReason
{
    UnknownDatagram,
    MalformedStun,
    StunUnknownUser,
    StunBadIntegrity,
    StunBadFingerprint,
    UnknownRemoteAddress,
    DtlsQueueFull,
    NotConnected,
    IngressQueueFull,
    EgressQueueFull,
    SrtpAuthFailed,
    SrtpReplay,
    MalformedRtp,
    MalformedRtcp,
    UnknownSsrc,
    SendFailed,
}

/// <summary>Process-wide counters of dropped packets by reason, read by metrics and stats.</summary>
public static class DropCounters
{
    private static readonly long[] Counts = new long[Enum.GetValues<DropReason>().Length];
    private static readonly int[] Logged = new int[Counts.Length];

    public static void Count(DropReason reason) => Interlocked.Increment(ref Counts[(int)reason]);
    public static long Get(DropReason reason) => Interlocked.Read(ref Counts[(int)reason]);

    /// <summary>True the first time a reason is seen, so callers log a kind of bad input once instead of flooding the log.</summary>
    public static bool FirstOccurrence(DropReason reason) => Interlocked.Exchange(ref Logged[(int)reason], 1) == 0;
}
