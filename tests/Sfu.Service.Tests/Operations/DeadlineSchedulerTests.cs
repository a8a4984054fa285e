using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Sfu.Service.Hosting;

namespace Sfu.Service.Tests.Operations;

public class DeadlineSchedulerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static DeadlineScheduler Create(string tick = "10ms") =>
        new(ConfigurationFactory.ParseString($"akka.scheduler {{ tick-duration = {tick}, shutdown-timeout = 5s }}"), NoLogger.Instance);

    private static IAdvancedScheduler Advanced(DeadlineScheduler scheduler) => ((IScheduler)scheduler).Advanced;

    [Fact]
    public void Runs_once_timers_in_deadline_order_and_not_before_their_delay()
    {
        using var scheduler = Create();
        var fired = new ConcurrentQueue<int>();
        using var done = new CountdownEvent(3);
        var due = new Dictionary<int, TimeSpan>();
        var at = new ConcurrentDictionary<int, TimeSpan>();
        foreach (var (delay, id) in new[] { (240, 3), (80, 1), (160, 2) })
        {
            // Deadlines from the moment each is scheduled: a test thread descheduled between calls must not fail the test.
            due[id] = scheduler.HighResMonotonicClock + TimeSpan.FromMilliseconds(delay);
            Advanced(scheduler).ScheduleOnce(TimeSpan.FromMilliseconds(delay), () =>
            {
                at[id] = scheduler.HighResMonotonicClock;
                fired.Enqueue(id);
                done.Signal();
            });
        }

        Assert.True(done.Wait(Patience));
        Assert.Equal(due.OrderBy(d => d.Value).Select(d => d.Key), fired);
        foreach (var (id, deadline) in due)
            Assert.True(at[id] >= deadline, $"timer {id} fired {(deadline - at[id]).TotalMilliseconds} ms early");
    }

    [Fact]
    public void Repeats_until_cancelled_and_a_timer_cancelled_before_its_deadline_never_runs()
    {
        using var scheduler = Create();
        var repeats = 0;
        var cancelledRan = false;
        using var threeRepeats = new ManualResetEventSlim();
        var repeating = new Cancelable((IScheduler)scheduler);
        Advanced(scheduler).ScheduleRepeatedly(TimeSpan.Zero, TimeSpan.FromMilliseconds(20), () =>
        {
            if (Interlocked.Increment(ref repeats) == 3) threeRepeats.Set();
        }, repeating);
        var never = new Cancelable((IScheduler)scheduler);
        Advanced(scheduler).ScheduleOnce(TimeSpan.FromMilliseconds(60), () => cancelledRan = true, never);
        never.Cancel();

        Assert.True(threeRepeats.Wait(Patience));
        repeating.Cancel();
        var afterCancel = Volatile.Read(ref repeats);
        using var later = new ManualResetEventSlim();
        Advanced(scheduler).ScheduleOnce(TimeSpan.FromMilliseconds(150), later.Set);
        Assert.True(later.Wait(Patience));

        // At most the run already in progress when Cancel was called.
        Assert.InRange(Volatile.Read(ref repeats), afterCancel, afterCancel + 1);
        Assert.False(cancelledRan);
    }

    [Fact]
    public void Does_not_wake_while_nothing_is_due()
    {
        using var scheduler = Create();
        using var fired = new ManualResetEventSlim();
        Advanced(scheduler).ScheduleOnce(TimeSpan.FromMilliseconds(300), fired.Set);

        Assert.True(fired.Wait(Patience));
        // The wheel would have ticked 30 times by now; a spurious wake-up or two (scheduling itself pulses) is fine.
        Assert.InRange(scheduler.WakeUps, 1, 3);
    }

    [Fact]
    public void Timers_due_in_the_same_tick_share_one_wake_up()
    {
        using var scheduler = Create("50ms");
        using var done = new CountdownEvent(20);
        var before = scheduler.WakeUps;
        for (var i = 0; i < 20; i++)
            Advanced(scheduler).ScheduleOnce(TimeSpan.FromMilliseconds(101 + i), () => done.Signal());

        Assert.True(done.Wait(Patience));
        // 101-120 ms fall into one or two 50 ms slots: the first schedule call's pulse plus a wake-up per slot, not 20.
        Assert.InRange(scheduler.WakeUps - before, 1, 5);
    }

    [Fact]
    public void A_timer_too_far_away_to_represent_never_fires_and_does_not_stop_the_others()
    {
        using var scheduler = Create();
        var ran = false;
        Advanced(scheduler).ScheduleOnce(TimeSpan.MaxValue, () => ran = true);
        using var soon = new ManualResetEventSlim();
        Advanced(scheduler).ScheduleOnce(TimeSpan.FromMilliseconds(30), soon.Set);

        Assert.True(soon.Wait(Patience));
        Assert.False(ran);
        Assert.Equal(1, scheduler.Pending);
    }

    [Fact]
    public void A_failing_task_is_not_repeated_and_does_not_stop_the_scheduler()
    {
        using var scheduler = Create();
        var failures = 0;
        Advanced(scheduler).ScheduleRepeatedly(TimeSpan.Zero, TimeSpan.FromMilliseconds(10), () =>
        {
            Interlocked.Increment(ref failures);
            throw new InvalidOperationException("boom");
        });
        using var after = new ManualResetEventSlim();
        Advanced(scheduler).ScheduleOnce(TimeSpan.FromMilliseconds(100), after.Set);

        Assert.True(after.Wait(Patience));
        Assert.Equal(1, Volatile.Read(ref failures));
    }

    [Fact]
    public void Dispose_runs_outstanding_one_off_work_and_refuses_new_work()
    {
        var scheduler = Create();
        var ran = false;
        Advanced(scheduler).ScheduleOnce(TimeSpan.FromMinutes(5), () => ran = true);

        scheduler.Dispose();

        Assert.True(ran);
        Assert.Throws<SchedulerException>(() => Advanced(scheduler).ScheduleOnce(TimeSpan.Zero, () => { }));
    }

    [Fact]
    public async Task An_actor_system_configured_with_it_uses_it_for_actor_timers()
    {
        var config = ConfigurationFactory.ParseString(
            $"akka.scheduler.implementation = \"{typeof(DeadlineScheduler).FullName}, {typeof(DeadlineScheduler).Assembly.GetName().Name}\"");
        using var system = ActorSystem.Create("deadline", config);
        Assert.IsType<DeadlineScheduler>(system.Scheduler);

        var probe = system.ActorOf(Props.Create(() => new TickCounter()));
        var count = await probe.Ask<int>("count", Patience);
        Assert.True(count >= 3, $"only {count} ticks");
        await system.Terminate();
    }

    private sealed class TickCounter : ReceiveActor, IWithTimers
    {
        private int _ticks;
        private IActorRef? _asker;

        public ITimerScheduler Timers { get; set; } = null!;

        public TickCounter()
        {
            Receive<string>(_ =>
            {
                _asker = Sender;
                if (_ticks >= 3) _asker.Tell(_ticks);
            });
            Receive<int>(_ =>
            {
                if (++_ticks == 3) _asker?.Tell(_ticks);
            });
        }

        protected override void PreStart() => Timers.StartPeriodicTimer("tick", 1, TimeSpan.FromMilliseconds(20));
    }
}
