namespace Sfu.Streams.Recovery;

/// <summary>
/// Loss recovery on a published track (all of its simulcast layers), written by ingress and the NACK tick with
/// interlocked increments, read by stats and metrics through <see cref="Snapshot"/>.
/// </summary>
public sealed class NackCounters
{
    /// <summary>Generic NACK packets sent to the publisher.</summary>
    public long NacksSent;
    /// <summary>Sequence numbers requested, retries included.</summary>
    public long PacketsRequested;
    /// <summary>Missing packets that arrived after all, by retransmission or late.</summary>
    public long PacketsRepaired;
    /// <summary>Of <see cref="PacketsRepaired"/>: those that arrived before their frame was due (see <see cref="NackGenerator"/>).</summary>
    public long PacketsRepairedInTime;
    /// <summary>Sum over repaired packets of the time from expected arrival to arrival, µs (for the mean).</summary>
    public long RepairLatencyMicros;
    /// <summary>Of <see cref="RepairLatencyMicros"/>: the part before the gap was seen (waiting for the next packet), µs.</summary>
    public long RepairDetectionMicros;
    /// <summary>Missing packets given up on.</summary>
    public long PacketsUnrepaired;
    /// <summary>RTX packets restored to their original stream and forwarded.</summary>
    public long RtxRestored;
    /// <summary>Lost packets the SFU rebuilt from the publisher's FlexFEC (see <see cref="Redundancy.FecRecovery"/>).</summary>
    public long FecRecovered;
    /// <summary>RTX packets for packets that were not missing (redundant payloads, late answers): dropped.</summary>
    public long RtxDuplicates;
    /// <summary>Originals that arrived after a repair had already delivered them: dropped.</summary>
    public long LateDuplicates;
    /// <summary>RTX packets with nothing to restore (bandwidth probes): dropped.</summary>
    public long RtxPadding;
    /// <summary>Keyframe requests made because a loss could not be repaired.</summary>
    public long KeyframeRequests;

    public NackStats Snapshot() => new(
        Interlocked.Read(ref NacksSent), Interlocked.Read(ref PacketsRequested), Interlocked.Read(ref PacketsRepaired),
        Interlocked.Read(ref PacketsUnrepaired), Interlocked.Read(ref RtxRestored), Interlocked.Read(ref RtxDuplicates),
        Interlocked.Read(ref RtxPadding), Interlocked.Read(ref KeyframeRequests),
        Interlocked.Read(ref PacketsRepairedInTime), Interlocked.Read(ref RepairLatencyMicros), Interlocked.Read(ref RepairDetectionMicros),
        Interlocked.Read(ref FecRecovered));
}

/// <summary>A copy of <see cref="NackCounters"/> at one moment.</summary>
public sealed record NackStats(
    long NacksSent, long PacketsRequested, long PacketsRepaired, long PacketsUnrepaired,
    long RtxRestored, long RtxDuplicates, long RtxPadding, long KeyframeRequests,
    long PacketsRepairedInTime = 0, long RepairLatencyMicros = 0, long RepairDetectionMicros = 0, long FecRecovered = 0)
{
    /// <summary>Mean time from a repaired packet's expected arrival to its arrival, ms; 0 before the first repair.</summary>
    public double MeanRepairLatencyMs => PacketsRepaired == 0 ? 0 : RepairLatencyMicros / 1000.0 / PacketsRepaired;
}
