using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests.Robustness;

/// <summary>
/// One room shared by the robustness tests: Chromium pages A and B that decode each other's video.
/// Joining and reaching steady media takes seconds, so the tests attack the same pair one after
/// another; a test that broke the pair makes the next one rejoin rather than fail on its leftovers.
/// </summary>
public sealed class RobustnessRoom : IAsyncLifetime
{
    public static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(30);
    // An attack that ignores its stop signal this long after its time is up has hung.
    private static readonly TimeSpan AttackGrace = TimeSpan.FromSeconds(30);

    private readonly ForwardingTestOutput _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private TestLog? _pageLog;

    public string RoomId { get; private set; } = "";
    public SfuPage A { get; private set; } = null!;
    public SfuPage B { get; private set; } = null!;
    public string AId { get; private set; } = "";
    public string BId { get; private set; } = "";

    /// <summary>Routes the pages' logs to <paramref name="output"/> and makes sure A and B are in the
    /// room and decode each other.</summary>
    public async Task EnsureAsync(SfuServerFixture server, ChromiumFixture chromium, ITestOutputHelper output)
    {
        _output.Attach(output);
        _pageLog ??= new TestLog(_output);
        if (A is not null && (await A.StateAsync()).Joined && (await B.StateAsync()).Joined) return;
        await ClosePagesAsync();
        RoomId = $"robust-{Guid.NewGuid():N}"[..24];
        A = await SfuPage.JoinAsync(chromium, server, RoomId, "A", _pageLog);
        B = await SfuPage.JoinAsync(chromium, server, RoomId, "B", _pageLog);
        AId = await A.ParticipantIdAsync();
        BId = await B.ParticipantIdAsync();
        await A.WaitForVideoFromAsync(BId, 20, MediaTimeout);
        await B.WaitForVideoFromAsync(AId, 20, MediaTimeout);
    }

    public void Detach() => _output.Detach();

    /// <summary>Video frames A has decoded from B and B from A.</summary>
    public async Task<(long AFromB, long BFromA)> FramesAsync()
    {
        var a = await A.StatsAsync();
        var b = await B.StatsAsync();
        return (a.InboundFrom(BId, "video").Sum(v => v.FramesDecoded), b.InboundFrom(AId, "video").Sum(v => v.FramesDecoded));
    }

    /// <summary>
    /// Runs <paramref name="attack"/> for at least <paramref name="duration"/> (its token is cancelled
    /// then; an attack that is a fixed sequence may finish earlier or later) and samples both pages
    /// every <see cref="SampleEvery"/> meanwhile: every sample must show more frames decoded than the
    /// one before, on both. Afterwards neither page heard that A or B left, all four peer connections
    /// are still connected, and the server answers /health.
    /// </summary>
    public async Task<IReadOnlyList<(long AFromB, long BFromA)>> KeepsForwardingWhileAsync(
        SfuServerFixture server, TestLog log, string what, Func<CancellationToken, Task> attack, TimeSpan duration)
    {
        var samples = new List<(long AFromB, long BFromA)> { await FramesAsync() };
        using var stop = new CancellationTokenSource();
        var attacking = Task.Run(() => attack(stop.Token));
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration || !attacking.IsCompleted)
        {
            // The sampling cadence is the attack's own duration, not a wait for state.
            await Task.Delay(SampleEvery);
            if (clock.Elapsed >= duration) await stop.CancelAsync();
            if (attacking.IsFaulted) break;
            if (clock.Elapsed > duration + AttackGrace) throw new TimeoutException($"{what}: the attack did not end {AttackGrace.TotalSeconds:0} s after its time was up");
            var sample = await FramesAsync();
            var previous = samples[^1];
            samples.Add(sample);
            log.Write("watch", $"{what} at {clock.Elapsed.TotalSeconds:0.0} s: A decoded {sample.AFromB} frames from B, B {sample.BFromA} from A");
            Assert.True(sample.AFromB > previous.AFromB, $"{what}: A stopped decoding B's video ({previous.AFromB} -> {sample.AFromB} frames in {SampleEvery.TotalSeconds:0.#} s)");
            Assert.True(sample.BFromA > previous.BFromA, $"{what}: B stopped decoding A's video ({previous.BFromA} -> {sample.BFromA} frames in {SampleEvery.TotalSeconds:0.#} s)");
        }
        await attacking;

        foreach (var page in new[] { A, B })
        {
            var left = (await page.EventsAsync())
                .Where(e => e.GetProperty("type").GetString() == "participant-left"
                            && e.TryGetProperty("participantId", out var p) && p.GetString() is { } id && (id == AId || id == BId))
                .ToList();
            Assert.True(left.Count == 0, $"{what}: {page.Label} was told {JsonSerializer.Serialize(left)}");
            var stats = await page.StatsAsync();
            Assert.Equal(("connected", "connected"), (stats.Publisher.ConnectionState, stats.Subscriber.ConnectionState));
        }
        using var health = await _http.GetAsync(new Uri(server.BaseUri, "health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        return samples;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _output.Detach();
        await ClosePagesAsync();
        _http.Dispose();
    }

    private async Task ClosePagesAsync()
    {
        if (B is not null) await B.DisposeAsync();
        if (A is not null) await A.DisposeAsync();
        A = null!;
        B = null!;
    }
}
