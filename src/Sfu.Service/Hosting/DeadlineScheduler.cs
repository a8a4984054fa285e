using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace Sfu.Service.Hosting;

/// <summary>
/// Akka scheduler (<c>akka.scheduler.implementation</c>) that sleeps until the next due timer instead of ticking.
/// Akka's <see cref="HashedWheelTimerScheduler"/> wakes every <c>tick-duration</c> (10 ms) forever: 100 timer-thread
/// and thread-pool wake-ups a second on a node with no clients, most of this server's idle CPU (issue 7).
/// Here one thread waits on a min-heap of deadlines. Deadlines are rounded up to the <c>tick-duration</c> grid, so
/// under load (a NACK tick every 20 ms per publisher graph) timers due in the same slot still fire in one wake-up,
/// as with the wheel; when nothing is due the thread does not run at all.
/// </summary>
public sealed class DeadlineScheduler : SchedulerBase, IDateTimeOffsetNowTimeProvider, IDisposable
{
    private readonly object _gate = new();
    private readonly PriorityQueue<Registration, long> _queue = new();
    private readonly long _resolution;
    private readonly TimeSpan _shutdownTimeout;
    private readonly Thread _thread;
        private long _nextWake = long.MaxValue;
    private bool _stopped;

    public DeadlineScheduler(Config scheduler, ILoggingAdapter log) : base(scheduler, log)
    {
        var tick = SchedulerConfig.GetTimeSpan("akka.scheduler.tick-duration", TimeSpan.FromMilliseconds(10));
        _resolution = Math.Max(TimeSpan.TicksPerMillisecond, tick.Ticks);
        _shutdownTimeout = SchedulerConfig.GetTimeSpan("akka.scheduler.shutdown-timeout", TimeSpan.FromSeconds(5));
        _thread = new Thread(Run) { IsBackground = true, Name = "akka-scheduler" };
        _thread.Start();
    }

    /// <summary>Timers waiting (cancelled ones stay until their deadline, as in the wheel).</summary>
    public int Pending
    {
        get { lock (_gate) return _queue.Count; }
    }

    /// <summary>Times the scheduler thread woke up; the figure issue 7 is about.</summary>
    public long WakeUps { get; private set; }

    protected override DateTimeOffset TimeNow => DateTimeOffset.Now;
    public override TimeSpan MonotonicClock => Since.Elapsed;
    public override TimeSpan HighResMonotonicClock => Since.Elapsed;

    // Akka's own MonotonicClock is internal; like it, one clock for the process.
    private static readonly Stopwatch Since = Stopwatch.StartNew();

    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Add(delay, TimeSpan.Zero, new Tell(receiver, message, sender), cancelable);

    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender,
        ICancelable cancelable) =>
        Add(initialDelay, interval, new Tell(receiver, message, sender), cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        Add(delay, TimeSpan.Zero, new ActionRunnable(action), cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        Add(delay, TimeSpan.Zero, action, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Add(initialDelay, interval, new ActionRunnable(action), cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        Add(initialDelay, interval, action, cancelable);

    private void Add(TimeSpan delay, TimeSpan interval, IRunnable action, ICancelable? cancelable)
    {
        var registration = new Registration(action, cancelable, interval.Ticks);
        lock (_gate)
        {
            if (_stopped) throw new SchedulerException("cannot enqueue after scheduler shutdown");
            Enqueue(registration, DueAt(delay.Ticks));
        }
    }

    // Saturates instead of overflowing, so a delay of TimeSpan.MaxValue means "never" and not "now".
    private long DueAt(long delayTicks)
    {
        var now = Since.Elapsed.Ticks;
        return delayTicks > Never - now ? Never : now + delayTicks;
    }

    private const long Never = long.MaxValue / 2;
    // Monitor.Wait takes at most int.MaxValue ms; a longer wait just wakes once and waits again.
    private static readonly long LongestWait = TimeSpan.FromDays(1).Ticks;

    private void Enqueue(Registration registration, long due)
    {
        // Up to the next slot, never earlier than asked: timers of one slot share a wake-up.
        var slot = (due + _resolution - 1) / _resolution * _resolution;
        _queue.Enqueue(registration, slot);
        if (slot < _nextWake) Monitor.Pulse(_gate);
    }

    private void Run()
    {
        var due = new List<Registration>();
        while (true)
        {
            lock (_gate)
            {
                while (true)
                {
                    if (_stopped) return;
                    var now = Since.Elapsed.Ticks;
                    while (_queue.TryPeek(out var next, out var at) && at <= now)
                    {
                        _queue.Dequeue();
                        if (!next.Cancelled) due.Add(next);
                    }
                    if (due.Count > 0) break;
                    _nextWake = _queue.TryPeek(out _, out var first) ? first : long.MaxValue;
                    var wait = _nextWake == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Clamp(_nextWake - now, TimeSpan.TicksPerMillisecond, LongestWait));
                    Monitor.Wait(_gate, wait);
                    WakeUps++;
                }
                _nextWake = long.MinValue;
            }

            foreach (var registration in due)
            {
                try
                {
                    registration.Action.Run();
                }
                catch (Exception ex)
                {
                    // As in the wheel: a failed task is logged and not repeated.
                    Log.Error(ex, "Error while executing scheduled task {0}", registration.Action);
                    continue;
                }
                if (registration.Interval > 0 && !registration.Cancelled)
                    lock (_gate)
                        if (!_stopped) Enqueue(registration, DueAt(registration.Interval));
            }
            due.Clear();
        }
    }

    public void Dispose()
    {
        List<Registration> left;
        lock (_gate)
        {
            if (_stopped) return;
            _stopped = true;
            Monitor.Pulse(_gate);
            left = _queue.UnorderedItems.Select(i => i.Element).Where(r => !r.Cancelled).ToList();
            _queue.Clear();
        }
        if (Thread.CurrentThread != _thread && !_thread.Join(_shutdownTimeout))
            Log.Warning("Failed to shutdown scheduler within {0}", _shutdownTimeout);

        // As the wheel does on shutdown: outstanding one-off work (e.g. Ask timeouts) runs once so nothing waits forever.
        foreach (var registration in left)
        {
            try
            {
                registration.Action.Run();
            }
            catch (SchedulerException)
            {
            }
            catch (Exception ex)
            {
                Log.Error(ex, "Exception while executing timer task.");
            }
        }
    }

    private sealed class Registration(IRunnable action, ICancelable? cancelable, long interval)
    {
        public IRunnable Action { get; } = action;
        public long Interval { get; } = interval;
        public bool Cancelled => cancelable?.IsCancellationRequested ?? false;
    }

    private sealed class Tell(ICanTell receiver, object message, IActorRef sender) : IRunnable
    {
        public void Run() => receiver.Tell(message, sender);
        public void Execute() => Run();
        public override string ToString() => $"[{receiver}.Tell({message}, {sender})]";
    }
}
