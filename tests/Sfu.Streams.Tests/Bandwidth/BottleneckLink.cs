namespace Sfu.Streams.Tests.Bandwidth;

/// <summary>
/// One direction of a network path for simulations: a FIFO drop-tail queue in front of a link of
/// <see cref="CapacityBps"/>, then a fixed propagation delay, plus optional random loss from a seeded generator.
/// Arrival times are known at send time because the queue is FIFO.
/// </summary>
public sealed class BottleneckLink
{
    private readonly Random _random;
    private long _capacityBps;
    private long _busyUntilMicros;

    public BottleneckLink(long capacityBps, long propagationMicros, int queueLimitBytes, double lossRate = 0, int seed = 1)
    {
        _capacityBps = capacityBps;
        PropagationMicros = propagationMicros;
        QueueLimitBytes = queueLimitBytes;
        LossRate = lossRate;
        _random = new Random(seed);
    }

    public long PropagationMicros { get; }

    public int QueueLimitBytes { get; }

    public double LossRate { get; set; }

    public long Dropped { get; private set; }

    public long CapacityBps => _capacityBps;

    /// <summary>Changes the rate; what is queued drains at the new rate from <paramref name="nowMicros"/> on.</summary>
    public void SetCapacity(long capacityBps, long nowMicros)
    {
        var backlogBits = Math.Max(0, _busyUntilMicros - nowMicros) * _capacityBps / 1_000_000;
        _capacityBps = capacityBps;
        _busyUntilMicros = nowMicros + backlogBits * 1_000_000 / capacityBps;
    }

    public long QueueBytes(long nowMicros) => Math.Max(0, _busyUntilMicros - nowMicros) * _capacityBps / 8_000_000;

    /// <summary>Arrival time at the far end, or -1 if the queue was full or the packet was lost.</summary>
    public long Send(long nowMicros, int size)
    {
        if (QueueBytes(nowMicros) + size > QueueLimitBytes)
        {
            Dropped++;
            return -1;
        }

        var start = Math.Max(nowMicros, _busyUntilMicros);
        _busyUntilMicros = start + size * 8_000_000L / _capacityBps;
        if (LossRate > 0 && _random.NextDouble() < LossRate)
        {
            Dropped++;
            return -1;
        }

        return _busyUntilMicros + PropagationMicros;
    }
}
