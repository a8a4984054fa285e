using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Recovery;

/// <summary>
/// The publisher leg of loss recovery, as glue between ingress and the per-stream <see cref="NackGenerator"/>:
/// RTX packets are restored to their stream, new gaps are NACKed at once, and a periodic tick (from the egress
/// graph) sends the retries and the keyframe requests for losses that could not be repaired.
/// </summary>
public static class PublisherRecovery
{
    /// <summary>How often due retries are collected; below the shortest retry interval, so retries are not late.</summary>
    public static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(20);
    /// <summary>Sequence numbers one stream asks for per NACK; the rest wait for the next tick.</summary>
    public const int MaxPerNack = 64;
    private const int MaxNackLength = 12 + MaxPerNack * 4;

    /// <summary>
    /// Restores an RTX packet (RFC 4588) in place into the packet it repairs. False for padding-only RTX
    /// (bandwidth probes, counted) and for an RTX payload type we did not negotiate.
    /// </summary>
    public static bool TryRestoreRtx(MediaPacket packet, in RtpHeader header, RtpReceiveStream stream)
    {
        var track = stream.Track;
        if (RtxPacket.IsPaddingOnly(header))
        {
            Interlocked.Increment(ref track.Recovery.RtxPadding);
            return false;
        }
        if (track.CodecForRtx(header.PayloadType) is not { } codec ||
            !RtxPacket.TryRestore(packet.Buffer.AsSpan(0, packet.Length), (byte)codec.PayloadType, stream.Ssrc, out var length))
        {
            DropCounters.Count(DropReason.MalformedRtp);
            return false;
        }
        packet.Length = length;
        return true;
    }

    /// <summary>
    /// Acts on what a received packet meant for loss recovery: counts repairs, NACKs a new gap at once.
    /// False when the packet must go no further: a copy of a packet already forwarded (an RTX or FEC repair of one we
    /// have, or the late original of one a repair delivered).
    /// </summary>
    public static bool OnPacket(RtpReceiveStream stream, NackOutcome outcome, Repair repair)
    {
        var counters = stream.Track.Recovery;
        switch (outcome)
        {
            case NackOutcome.Recovered:
                Interlocked.Increment(ref counters.PacketsRepaired);
                MediaCounters.Increment(MediaCounter.PacketsRepaired);
                if (stream.Nack is { } nack)
                {
                    // Read on the ingress thread that just recorded the repair; the tick never writes these.
                    Interlocked.Add(ref counters.RepairLatencyMicros, (long)nack.LastRepairLatency.TotalMicroseconds);
                    Interlocked.Add(ref counters.RepairDetectionMicros, (long)nack.LastRepairDetection.TotalMicroseconds);
                    if (nack.LastRepairInTime)
                    {
                        Interlocked.Increment(ref counters.PacketsRepairedInTime);
                        MediaCounters.Increment(MediaCounter.PacketsRepairedInTime);
                    }
                }
                CountRepair(counters, repair);
                return true;
            case NackOutcome.Gap or NackOutcome.Reset:
                SendNacks(stream);
                return true;
            case NackOutcome.Old when repair == Repair.Rtx:
                Interlocked.Increment(ref counters.RtxDuplicates);
                return false;
            case NackOutcome.Old when repair == Repair.Fec:
                // Rebuilt only while missing, so only a race with its own RTX lands here.
                return false;
            case NackOutcome.Old:
                // The original, late, after its RTX or FEC rebuild was forwarded (SRTP replay protection drops other
                // duplicates): the subscriber would only discard it.
                Interlocked.Increment(ref counters.LateDuplicates);
                return false;
            default:
                CountRepair(counters, repair);
                return true;
        }
    }

    private static void CountRepair(NackCounters counters, Repair repair)
    {
        if (repair == Repair.Rtx)
        {
            Interlocked.Increment(ref counters.RtxRestored);
            MediaCounters.Increment(MediaCounter.RtxRestored);
        }
        else if (repair == Repair.Fec)
        {
            Interlocked.Increment(ref counters.FecRecovered);
            MediaCounters.Increment(MediaCounter.FecRecovered);
        }
    }

    /// <summary>Sends the NACK that is due for one stream now, if any, through its session's egress queue.</summary>
    public static void SendNacks(RtpReceiveStream stream)
    {
        Span<byte> buffer = stackalloc byte[MaxNackLength];
        var n = WriteNacks(stream, buffer);
        if (n > 0) stream.Track.Publisher.SendRtcp(buffer[..n]);
    }

    /// <summary>The tick: one compound RTCP packet with the NACKs due on every stream the session receives; null if none.</summary>
    public static MediaPacket? BuildNacks(MediaSession session)
    {
        if (!session.HasUpTracks) return null;
        MediaPacket? packet = null;
        foreach (var track in session.UpTracks)
        {
            foreach (var stream in track.Streams)
            {
                if (stream.Nack is null) continue;
                packet ??= MediaPacket.Rent();
                var room = MediaPacket.BufferSize - 64 - packet.Length;
                if (room < MaxNackLength)
                {
                    // The rest waits for the next tick rather than losing requests already counted as sent.
                    return Finish(packet);
                }
                packet.Length += WriteNacks(stream, packet.Buffer.AsSpan(packet.Length, MaxNackLength));
            }
        }
        return Finish(packet);
    }

    private static MediaPacket? Finish(MediaPacket? packet)
    {
        if (packet is null) return null;
        if (packet.Length == 0)
        {
            packet.Release();
            return null;
        }
        packet.IsRtcp = true;
        return packet;
    }

    private static int WriteNacks(RtpReceiveStream stream, Span<byte> dest)
    {
        Span<ushort> lost = stackalloc ushort[MaxPerNack];
        var count = stream.CollectNacks(lost, out var keyframeDue, out var abandoned);
        var track = stream.Track;
        if (abandoned > 0)
        {
            Interlocked.Add(ref track.Recovery.PacketsUnrepaired, abandoned);
            MediaCounters.Add(MediaCounter.PacketsUnrepaired, abandoned);
        }
        if (keyframeDue)
        {
            Interlocked.Increment(ref track.Recovery.KeyframeRequests);
            track.RequestKeyframe(stream.Layer, KeyframeReason.UnrecoverableLoss);
        }
        if (count == 0) return 0;
        var n = GenericNack.Write(dest, track.Publisher.LocalSsrc, stream.Ssrc, lost[..count]);
        if (n <= 0) return 0;
        Interlocked.Increment(ref track.Recovery.NacksSent);
        MediaCounters.Increment(MediaCounter.NacksSent);
        Interlocked.Add(ref track.Recovery.PacketsRequested, count);
        return n;
    }
}
