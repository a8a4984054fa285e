using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Recovery;

/// <summary>
/// Test-only: holds packets for a fixed time and hands them on in the order they came, as a link with that one-way
/// delay would (netem is not available in the sandbox). One thread of its own serves the whole line, sleeping until
/// the oldest packet is due: the thread that hands a packet in never waits, delivery never reorders, and it is not
/// late by whatever the thread pool is busy with (a pool timer was 10-47 ms late on average under test load, which
/// turned "50 ms of RTT" into ~100 ms in bursts).
/// </summary>
public sealed class DelayLine : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _delayTicks;
    private readonly Queue<(long Due, MediaPacket Packet, Action<MediaPacket> Deliver)> _queue = new();
    private readonly object _gate = new();
    private readonly Thread _thread;
    private bool _disposed;

    public DelayLine(TimeSpan delay, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        Delay = delay;
        _time = time;
        _delayTicks = (long)(delay.TotalSeconds * time.TimestampFrequency);
        _thread = new Thread(Run) { IsBackground = true, Name = "test-delay-line" };
        _thread.Start();
    }

    public TimeSpan Delay { get; }
    /// <summary>Packets delivered, and how late after their due time in total (timer and thread-pool lag under load).</summary>
    public long Delivered { get; private set; }
    public TimeSpan TotalLateness => TimeSpan.FromSeconds((double)_latenessTicks / _time.TimestampFrequency);
    private long _latenessTicks;

    /// <summary>Packets waiting now.</summary>
    public int Pending
    {
        get { lock (_gate) return _queue.Count; }
    }

    /// <summary>Takes <paramref name="packet"/> (and its ownership); <paramref name="deliver"/> gets it once the delay has passed.</summary>
    public void Enqueue(MediaPacket packet, Action<MediaPacket> deliver)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                deliver(packet);
                return;
            }
            _queue.Enqueue((_time.GetTimestamp() + _delayTicks, packet, deliver));
            if (_queue.Count == 1) Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        lock (_gate)
        {
            while (!_disposed)
            {
                if (!_queue.TryPeek(out var head))
                {
                    Monitor.Wait(_gate);
                    continue;
                }
                var wait = _time.GetElapsedTime(_time.GetTimestamp(), head.Due);
                if (wait > TimeSpan.Zero)
                {
                    // Never longer than 50 ms at a time, so a test clock moved by hand is noticed.
                    Monitor.Wait(_gate, wait < TimeSpan.FromMilliseconds(50) ? wait : TimeSpan.FromMilliseconds(50));
                    continue;
                }
                Pump();
            }
        }
    }

    /// <summary>Delivers every packet whose time has come, oldest first (the line's thread calls it; tests may too).</summary>
    public void Pump()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            // Delivering under the lock keeps the order even if two pumps overlap; delivery only enqueues.
            while (_queue.TryPeek(out var head) && (head.Due <= now || _disposed))
            {
                _queue.Dequeue();
                Delivered++;
                if (!_disposed) _latenessTicks += now - head.Due;
                head.Deliver(head.Packet);
            }
        }
    }

    /// <summary>Delivers what is still waiting at once, and every later packet without delay.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            Pump();
            Monitor.PulseAll(_gate);
        }
    }
}
