namespace Sfu.Streams.Bandwidth;

/// <summary>
/// Throughput the receiver acknowledged: bytes of received packets whose arrival (receiver clock) falls within the
/// last <see cref="WindowMicros"/>, over that window. This is what the rate controller decreases from on overuse.
/// </summary>
/// <remarks>A fixed ring of samples; if it fills (above ~80 Mbps of 1200-byte packets for a 500 ms window) the oldest
/// samples drop out early and the rate reads low.</remarks>
public sealed class AcknowledgedBitrate
{
    private const long MinSpanMicros = 100_000;

    private readonly long[] _arrival;
    private readonly int[] _size;
    private int _head;
    private int _count;
    private long _bytes;
    private long _latestMicros = long.MinValue;
    private long _firstMicros = long.MinValue;

    public AcknowledgedBitrate(long windowMicros = 500_000, int capacity = 4096)
    {
        WindowMicros = windowMicros;
        _arrival = new long[capacity];
        _size = new int[capacity];
    }

    public long WindowMicros { get; }

    /// <summary>Bits per second, or 0 until 100 ms of arrivals were seen.</summary>
    public long Bps
    {
        get
        {
            if (_count == 0)
            {
                return 0;
            }

            var span = Math.Min(WindowMicros, _latestMicros - _firstMicros);
            return span < MinSpanMicros ? 0 : _bytes * 8_000_000 / span;
        }
    }

    public void Add(long arrivalMicros, int size)
    {
        if (_firstMicros == long.MinValue)
        {
            _firstMicros = arrivalMicros;
        }

        if (_count == _arrival.Length)
        {
            RemoveOldest();
        }

        var index = (_head + _count) % _arrival.Length;
        _arrival[index] = arrivalMicros;
        _size[index] = size;
        _count++;
        _bytes += size;
        _latestMicros = Math.Max(_latestMicros, arrivalMicros);
        while (_count > 0 && _arrival[_head] <= _latestMicros - WindowMicros)
        {
            RemoveOldest();
        }
    }

    public void Reset()
    {
        _head = 0;
        _count = 0;
        _bytes = 0;
        _latestMicros = long.MinValue;
        _firstMicros = long.MinValue;
    }

    private void RemoveOldest()
    {
        _bytes -= _size[_head];
        _head = (_head + 1) % _arrival.Length;
        _count--;
    }
}
