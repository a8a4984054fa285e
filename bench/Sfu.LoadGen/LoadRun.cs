using System.Diagnostics;
using Sfu.WebRtc.Dtls;

namespace Sfu.LoadGen;

/// <summary>
/// One load run: publishers join and connect first, then subscribers (so join time measures joining a room whose
/// media already flows), then a measurement window of <see cref="LoadGenOptions.Duration"/> during which
/// packets, loss and latency are counted and the server's CPU is sampled at both ends.
/// </summary>
public static class LoadRun
{
    public static async Task<LoadReport> RunAsync(LoadGenOptions options, string command, Action<string> say, CancellationToken ct)
    {
        await using var target = await LoadTarget.CreateAsync(options, say, ct);
        return await RunAgainstAsync(options, target, command, say, ct);
    }

    private static async Task<LoadReport> RunAgainstAsync(LoadGenOptions o, LoadTarget target, string command, Action<string> say, CancellationToken ct)
    {
        var pid = target.Pid;
        // One certificate for the whole generator: generating thousands of ECDSA keys would only slow the setup.
        var certificate = DtlsCertificate.Generate();
        var publishers = new List<PublisherClient>();
        var subscribers = new List<SubscriberClient>();
        var errors = new List<string>();
        using var pacer = new FramePacer(o.FrameRate);
        var run = Guid.NewGuid().ToString("N")[..6];
        try
        {
            for (var r = 0; r < o.Rooms; r++)
                for (var p = 0; p < o.PublishersPerRoom; p++)
                    publishers.Add(target.CreatePublisher(o, $"{o.RoomPrefix}-{run}-{r}", $"pub{r}-{p}", certificate));
            var setup = Stopwatch.StartNew();
            await JoinAllAsync(publishers, c => c.JoinAsync(ct), c => c.Connected, o, errors, ct);
            foreach (var p in publishers.Where(p => p.Connected.IsCompletedSuccessfully)) pacer.Add(p.SendFrame);
            say($"{publishers.Count(p => p.Connected.IsCompletedSuccessfully)}/{publishers.Count} publishers connected in {setup.Elapsed.TotalSeconds:0.0} s");

            for (var r = 0; r < o.Rooms; r++)
                for (var s = 0; s < o.SubscribersPerRoom; s++)
                    subscribers.Add(target.CreateSubscriber(o, $"{o.RoomPrefix}-{run}-{r}", $"sub{r}-{s}", certificate));
            setup.Restart();
            await JoinAllAsync(subscribers, c => c.JoinAsync(ct), c => c.Connected, o, errors, ct);
            say($"{subscribers.Count(s => s.Connected.IsCompletedSuccessfully)}/{subscribers.Count} subscribers connected in {setup.Elapsed.TotalSeconds:0.0} s");
            // Let every subscriber get its first keyframe, and the server reach its steady state, before the window opens.
            var warmup = o.Warmup > TimeSpan.FromSeconds(1) ? o.Warmup : TimeSpan.FromSeconds(1);
            say($"warming up for {warmup.TotalSeconds:0} s...");
            await Task.Delay(warmup, ct);

            var publishedBefore = publishers.Sum(p => p.Video.PacketsSent);
            var cpuBefore = pid is { } p0 ? ProcStats.CpuSeconds(p0) : null;
            var selfBefore = ProcStats.CpuSeconds(Environment.ProcessId);
            foreach (var s in subscribers) s.BeginWindow();
            var window = Stopwatch.StartNew();
            say($"measuring for {o.Duration.TotalSeconds:0} s...");
            await Task.Delay(o.Duration, ct);
            var losses = subscribers.Select(s => s.EndWindow()).ToList();
            var seconds = window.Elapsed.TotalSeconds;
            var cpuAfter = pid is { } p1 ? ProcStats.CpuSeconds(p1) : null;
            var selfAfter = ProcStats.CpuSeconds(Environment.ProcessId);
            var published = publishers.Sum(p => p.Video.PacketsSent) - publishedBefore;
            var peakRss = pid is { } p2 ? ProcStats.PeakRssBytes(p2) : null;
            var threads = pid is { } p3 ? ProcStats.Threads(p3) : null;

            pacer.Dispose();
            errors.AddRange(publishers.Select(p => p.Error).Concat(subscribers.Select(s => s.Error)).OfType<string>());
            await DisposeAllAsync(publishers, subscribers);

            var forwarded = subscribers.Sum(s => s.WindowPackets);
            var bytes = subscribers.Sum(s => s.WindowBytes);
            var expected = losses.Sum(l => l.Expected);
            var received = losses.Sum(l => l.Received);
            var latency = new List<int>();
            foreach (var s in subscribers) s.Latency.CopyTo(latency);
            latency.Sort();
            var joins = subscribers.Where(s => s.JoinToFirstMedia > 0)
                .Select(s => (int)(s.JoinToFirstMedia * 1_000_000.0 / Stopwatch.Frequency)).Order().ToList();
            var connects = subscribers.Where(s => s.JoinToConnected > 0)
                .Select(s => (int)(s.JoinToConnected * 1_000_000.0 / Stopwatch.Frequency)).Order().ToList();
            double? cpu = cpuBefore is { } b && cpuAfter is { } a ? a - b : null;
            return new LoadReport
            {
                Command = command,
                Target = o.Target.ToString(),
                Rooms = o.Rooms,
                PublishersPerRoom = o.PublishersPerRoom,
                SubscribersPerRoom = o.SubscribersPerRoom,
                BitrateBps = o.Bitrate,
                WindowSeconds = seconds,
                WarmupSeconds = Math.Max(1, o.Warmup.TotalSeconds),
                PublishersConnected = publishers.Count(p => p.Connected.IsCompletedSuccessfully),
                SubscribersConnected = subscribers.Count(s => s.Connected.IsCompletedSuccessfully),
                SubscribersWithMedia = subscribers.Count(s => s.JoinToFirstMedia > 0),
                StampedPackets = subscribers.Sum(s => s.WindowStamped),
                StreamsPerSubscriber = subscribers.Count == 0 ? 0 : subscribers.Average(s => s.StreamCount),
                Errors = errors.Distinct().ToList(),
                PublishedPackets = published,
                PublishedPacketsPerSecond = published / seconds,
                ForwardedPackets = forwarded,
                ForwardedPacketsPerSecond = forwarded / seconds,
                ForwardedMbps = bytes * 8 / seconds / 1e6,
                ExpectedPackets = expected,
                LossPercent = expected > 0 ? 100.0 * Math.Max(0, expected - received) / expected : 0,
                KeyframeRequests = publishers.Sum(p => p.KeyframeRequests),
                LatePacerFrames = pacer.LateFrames,
                LatencySamples = latency.Count,
                LatencyP50Ms = LoadReport.Percentile(latency, 50),
                LatencyP95Ms = LoadReport.Percentile(latency, 95),
                LatencyP99Ms = LoadReport.Percentile(latency, 99),
                LatencyMaxMs = latency.Count > 0 ? latency[^1] / 1000.0 : null,
                JoinP50Ms = LoadReport.Percentile(joins, 50),
                JoinP95Ms = LoadReport.Percentile(joins, 95),
                ConnectP50Ms = LoadReport.Percentile(connects, 50),
                ConnectP95Ms = LoadReport.Percentile(connects, 95),
                ServerPid = pid,
                ServerCpuSeconds = cpu,
                ServerCpuPercent = cpu / seconds * 100,
                ServerCpuSecondsPerMillionPackets = cpu is { } c && forwarded > 0 ? c / (forwarded / 1e6) : null,
                ServerCpuMicrosPerPacket = cpu is { } c2 && forwarded > 0 ? c2 * 1e6 / forwarded : null,
                ServerPeakRssMb = peakRss / (1024.0 * 1024.0),
                ServerThreads = threads,
                LoadGenCpuPercent = selfBefore is { } sb && selfAfter is { } sa ? (sa - sb) / seconds * 100 : null,
            };
        }
        catch
        {
            pacer.Dispose();
            await DisposeAllAsync(publishers, subscribers);
            throw;
        }
    }

    /// <summary>Joins clients with bounded concurrency and waits for each to connect (or fail, or time out).</summary>
    private static async Task JoinAllAsync<T>(IReadOnlyList<T> clients, Func<T, Task> join, Func<T, Task> connected, LoadGenOptions o, List<string> errors, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, o.JoinConcurrency));
        var tasks = clients.Select(async c =>
        {
            await gate.WaitAsync(ct);
            try
            {
                await join(c);
                await connected(c).WaitAsync(o.ConnectTimeout, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                lock (errors) errors.Add($"{e.GetType().Name}: {e.Message}");
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks);
    }

    private static async Task DisposeAllAsync(List<PublisherClient> publishers, List<SubscriberClient> subscribers)
    {
        var all = subscribers.Select(s => (Func<ValueTask>)s.DisposeAsync).Concat(publishers.Select(p => (Func<ValueTask>)p.DisposeAsync));
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(all.Select(async d =>
        {
            await gate.WaitAsync();
            try { await d(); }
            catch (Exception e) when (e is IOException or System.Net.WebSockets.WebSocketException or OperationCanceledException) { }
            finally { gate.Release(); }
        }));
    }
}
