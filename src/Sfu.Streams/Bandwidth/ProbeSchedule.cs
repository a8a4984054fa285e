namespace Sfu.Streams.Bandwidth;

/// <summary>
/// How a probe cluster is spread over time: bursts every <see cref="BurstMicros"/> (libwebrtc's pacer also sends
/// probes in small bursts, at least every 5 ms), each as many packets as the target rate carries in that time, so
/// the cluster leaves at its target rate instead of at whatever rate one back-to-back burst leaves the host.
/// A back-to-back burst is measured by the bottleneck alone; a paced one also tells whether the path carries the
/// target rate without queueing, and does not hit a policer's bucket all at once.
/// </summary>
public static class ProbeSchedule
{
    public const long BurstMicros = 5_000;

    /// <summary>Packets in each burst, in order; burst i goes out at i × <paramref name="burstMicros"/> from the first.</summary>
    public static int[] Bursts(long targetBps, int packetSize, int packets, long burstMicros = BurstMicros)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(packetSize);
        if (packets <= 0) return [];
        var bytesPerBurst = Math.Max(targetBps, 1) * burstMicros / 8_000_000.0;
        var perBurst = Math.Clamp((int)Math.Round(bytesPerBurst / packetSize), 1, packets);
        var bursts = new int[(packets + perBurst - 1) / perBurst];
        for (var i = 0; i < bursts.Length; i++) bursts[i] = Math.Min(perBurst, packets - i * perBurst);
        return bursts;
    }
}
