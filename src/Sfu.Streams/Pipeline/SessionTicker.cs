using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Pipeline;

/// <summary>
/// The periodic RTCP of every connection, from one thread: every 20 ms it asks each registered session for what is
/// due (NACK retries and transport-cc feedback toward publishers; once a second the SR/RR report block) and puts
/// what there is into that session's egress queue. A connection's egress graph therefore wakes only when it has
/// something to send. Each graph had two tick sources of its own before: at 1000 rooms that was 50 000 graph
/// wake-ups a second for publishers' 20 ms ticks alone, most of them finding nothing to do (docs/PERFORMANCE.md).
/// One thread also means a session's periodic work never overlaps with itself.
/// </summary>
public sealed class SessionTicker : IDisposable
{
    /// <summary>The ticker the transport graphs use unless given another.</summary>
    public static SessionTicker Shared { get; } = new(Recovery.PublisherRecovery.TickInterval,
        (int)(TransportGraphs.ReportInterval / Recovery.PublisherRecovery.TickInterval));

    /// <summary>Session ticks that threw (the session's state was being torn down, say); the other sessions went on.</summary>
    public static long Failures => Interlocked.Read(ref _failures);
    private static long _failures;

    private readonly object _gate = new();
    private MediaSession[] _sessions = [];
    private readonly Thread _thread;
    private readonly TimeSpan _tick;
    private readonly int _reportEvery;
    private volatile bool _stopped;

    public SessionTicker(TimeSpan tickInterval, int reportEvery)
    {
        _tick = tickInterval;
        _reportEvery = Math.Max(1, reportEvery);
        _thread = new Thread(Run) { IsBackground = true, Name = "sfu-session-ticker" };
        _thread.Start();
    }

    public int Count => _sessions.Length;

    public void Register(MediaSession session)
    {
        lock (_gate) _sessions = [.. _sessions, session];
    }

    public void Unregister(MediaSession session)
    {
        lock (_gate) _sessions = _sessions.Where(s => s != session).ToArray();
    }

    private void Run()
    {
        var next = Environment.TickCount64;
        long ticks = 0;
        while (!_stopped)
        {
            next += (long)_tick.TotalMilliseconds;
            var wait = next - Environment.TickCount64;
            if (wait > 0) Thread.Sleep((int)wait);
            else if (wait < -1000) next = Environment.TickCount64; // fell far behind (a paused process): do not race to catch up
            ticks++;
            var reports = ticks % _reportEvery == 0;
            foreach (var session in _sessions)
            {
                try
                {
                    Tick(session, reports);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // One session's bad state must not stop the others' RTCP; its graph's own failure handling applies.
                    Interlocked.Increment(ref _failures);
                }
            }
        }
    }

    /// <summary>One tick's work for one session (public for tests that drive it by hand).</summary>
    public static void Tick(MediaSession session, bool reports)
    {
        if (session.Transport.State != TransportState.Connected) return;
        if (session.ReceivesMedia)
            foreach (var packet in TransportGraphs.PublisherTick(session)) session.Egress.Offer(packet);
        if (reports && TransportGraphs.BuildReport(session) is { } report) session.Egress.Offer(report);
    }

    public void Dispose()
    {
        _stopped = true;
    }
}
