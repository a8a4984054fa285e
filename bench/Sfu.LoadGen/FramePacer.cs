using System.Diagnostics;

namespace Sfu.LoadGen;

/// <summary>
/// One thread that sends every publisher's frames on time (30 fps each, start times spread over a frame
/// interval so publishers do not all burst together), instead of a timer per publisher.
/// </summary>
internal sealed class FramePacer : IDisposable
{
    private readonly long _interval;
    private readonly object _gate = new();
    private readonly List<Entry> _entries = [];
    private readonly Thread _thread;
    private volatile bool _stopped;

    public FramePacer(int frameRate)
    {
        _interval = Stopwatch.Frequency / frameRate;
        _thread = new Thread(Run) { IsBackground = true, Name = "loadgen-pacer", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Frames sent later than a millisecond after their due time (the pacer could not keep up).</summary>
    public long LateFrames;

    public void Add(Action sendFrame)
    {
        var first = Stopwatch.GetTimestamp() + Random.Shared.NextInt64(0, _interval);
        lock (_gate) _entries.Add(new Entry(sendFrame, first));
    }

    private void Run()
    {
        var buffer = new List<Entry>();
        var lateThreshold = Stopwatch.Frequency / 1000;
        while (!_stopped)
        {
            buffer.Clear();
            lock (_gate) buffer.AddRange(_entries);
            var now = Stopwatch.GetTimestamp();
            var next = now + _interval;
            foreach (var e in buffer)
            {
                if (e.Due <= now)
                {
                    if (now - e.Due > lateThreshold) LateFrames++;
                    e.Send();
                    e.Due += _interval;
                    // After a long stall, skip the frames that are already too late rather than bursting them.
                    if (e.Due < now) e.Due = now + _interval;
                }
                if (e.Due < next) next = e.Due;
            }
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.FromMilliseconds(1.5)) Thread.Sleep(wait - TimeSpan.FromMilliseconds(1));
            else if (wait > TimeSpan.Zero) Thread.Yield();
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _thread.Join(TimeSpan.FromSeconds(2));
    }

    private sealed class Entry(Action send, long due)
    {
        public Action Send { get; } = send;
        public long Due { get; set; } = due;
    }
}
