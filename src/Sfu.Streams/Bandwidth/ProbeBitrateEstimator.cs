namespace Sfu.Streams.Bandwidth;

/// <summary>
/// Measures what a probe cluster got through (after libwebrtc's ProbeBitrateEstimator): the send rate over the
/// cluster's send span and the receive rate over its arrival span. If the link kept up (receive ≥ 90 % of send) the
/// result is the smaller of the two; if it did not, the link is saturated and 95 % of the receive rate is its capacity.
/// </summary>
public sealed class ProbeBitrateEstimator
{
    private const int Slots = 8;
    private const double MinReceivedRatio = 0.8;
    private const double MaxValidRatio = 2.0;
    private const double MinRatioForUnsaturatedLink = 0.9;
    private const double TargetUtilization = 0.95;
    private const long MaxIntervalMicros = 1_000_000;

    private readonly Aggregate[] _clusters = new Aggregate[Slots];

    public ProbeBitrateEstimator()
    {
        for (var i = 0; i < _clusters.Length; i++)
        {
            _clusters[i].Id = -1;
        }
    }

    /// <summary>Adds a received probe packet; returns the cluster's rate so far, or 0 while it cannot be measured.</summary>
    public long Add(in ProbeCluster cluster, long sendMicros, long arrivalMicros, int size)
    {
        ref var a = ref _clusters[cluster.Id & (Slots - 1)];
        if (a.Id != cluster.Id)
        {
            a = new Aggregate
            {
                Id = cluster.Id,
                FirstSend = long.MaxValue,
                LastSend = long.MinValue,
                FirstArrival = long.MaxValue,
                LastArrival = long.MinValue,
            };
        }

        if (sendMicros < a.FirstSend)
        {
            a.FirstSend = sendMicros;
        }

        if (sendMicros >= a.LastSend)
        {
            a.LastSend = sendMicros;
            a.SizeLastSend = size;
        }

        if (arrivalMicros < a.FirstArrival)
        {
            a.FirstArrival = arrivalMicros;
            a.SizeFirstArrival = size;
        }

        a.LastArrival = Math.Max(a.LastArrival, arrivalMicros);
        a.Bytes += size;
        a.Packets++;

        if (a.Packets < cluster.MinPackets * MinReceivedRatio || a.Bytes < cluster.MinBytes * MinReceivedRatio)
        {
            return 0;
        }

        var sendInterval = a.LastSend - a.FirstSend;
        var receiveInterval = a.LastArrival - a.FirstArrival;
        if (sendInterval <= 0 || sendInterval > MaxIntervalMicros || receiveInterval <= 0 || receiveInterval > MaxIntervalMicros)
        {
            return 0;
        }

        // Exclude the last packet sent from the send rate and the first received from the receive rate: each interval
        // spans one packet fewer than the cluster holds.
        var sendBps = (a.Bytes - a.SizeLastSend) * 8_000_000.0 / sendInterval;
        var receiveBps = (a.Bytes - a.SizeFirstArrival) * 8_000_000.0 / receiveInterval;
        if (receiveBps > MaxValidRatio * sendBps)
        {
            return 0;
        }

        var result = Math.Min(sendBps, receiveBps);
        if (receiveBps < MinRatioForUnsaturatedLink * sendBps)
        {
            result = TargetUtilization * receiveBps;
        }

        return (long)result;
    }

    private struct Aggregate
    {
        public int Id;
        public long FirstSend;
        public long LastSend;
        public long FirstArrival;
        public long LastArrival;
        public int SizeLastSend;
        public int SizeFirstArrival;
        public long Bytes;
        public int Packets;
    }
}
