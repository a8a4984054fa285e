using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Sfu.Service;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests.Operations;

/// <summary>
/// Two Chromium participants in one room on a server of the test's own (the shared one carries other tests'
/// rooms), and the Prometheus scrape must say what is really there: one room, two participants, two video and two
/// audio tracks, forwarded packets in the latency histogram, bytes both ways.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class MetricsScrapeTests(ChromiumFixture chromium, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestLog _log = new(output);
    private readonly List<IBrowserContext> _contexts = [];
    private WebApplication? _app;
    private int _httpPort;
    private int _metricsPort;

    public async Task InitializeAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            _httpPort = FreePorts.Tcp();
            _metricsPort = FreePorts.Tcp();
            string[] args =
            [
                "--config", Path.Combine(AppContext.BaseDirectory, "config"),
                "--urls", $"http://127.0.0.1:{_httpPort}",
                "--set", "server.host=127.0.0.1",
                "--set", $"metrics.port={_metricsPort}",
                "--set", $"webrtc.udp_port={FreePorts.Udp()}",
                "--set", "webrtc.announced_ip=127.0.0.1",
            ];
            try
            {
                _app = SfuApplication.Build(args);
                await _app.StartAsync();
                return;
            }
            catch (Exception) when (attempt < 3)
            {
                // Most likely a probed port taken before the bind; try fresh ones.
                if (_app is not null) await _app.DisposeAsync();
                _app = null;
            }
        }
    }

    [Fact]
    public async Task Scrape_matches_two_participants_publishing_camera_and_microphone()
    {
        var room = $"metrics-{Guid.NewGuid():N}"[..20];
        await JoinAsync(room, "A");
        await JoinAsync(room, "B");

        var text = await PollScrapeAsync(t =>
            Value(t, "webrtc_video_tracks_total") == 2 && Value(t, "webrtc_audio_tracks_total") == 2 &&
            Value(t, "sfu_forwarding_latency_seconds_count") > 100 &&
            Value(t, "webrtc_bandwidth_usage_bytes{direction=\"out\"}") > 0, TimeSpan.FromSeconds(45));
        _log.Write("test", string.Join('\n', text.Split('\n').Where(l => l.StartsWith("webrtc_") || l.StartsWith("sfu_forwarding_latency_seconds_count") || l.StartsWith("sfu_keyframe") || l.StartsWith("sfu_rtcp"))));

        Assert.Equal(1, Value(text, "webrtc_rooms_total"));
        Assert.Equal(2, Value(text, "webrtc_participants_total"));
        Assert.Equal(2, Value(text, "webrtc_video_tracks_total"));
        Assert.Equal(2, Value(text, "webrtc_audio_tracks_total"));
        Assert.True(Value(text, "sfu_forwarding_latency_seconds_count") > 0);
        Assert.True(Value(text, "sfu_forwarding_latency_seconds_sum") > 0);
        Assert.True(Value(text, "webrtc_bandwidth_usage_bytes{direction=\"in\"}") > 0);
        Assert.True(Value(text, "webrtc_bandwidth_usage_bytes{direction=\"out\"}") > 0);
        // Each subscriber's arrival asks the publisher for a keyframe.
        Assert.True(Value(text, "sfu_keyframe_requests_total{result=\"sent\"}") > 0);
        // Loss and jitter come from the rooms' statistics: real streams on loopback have jitter and little loss.
        var loss = Value(text, "webrtc_packet_loss_rate{direction=\"publish\"}")!.Value;
        Assert.InRange(loss, 0, 0.05);
        Assert.True(Value(text, "webrtc_jitter_ms{direction=\"publish\"}") > 0);
    }

    private async Task JoinAsync(string room, string name)
    {
        var context = await chromium.Browser.NewContextAsync();
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.Console += (_, m) => _log.Write(name, $"{m.Type}: {m.Text}");
        await page.GotoAsync($"http://127.0.0.1:{_httpPort}/?room={room}&autojoin=1&name={name}");
        await Poll.UntilAsync(() => page.EvaluateAsync<bool>("() => !!(window.sfu && window.sfu.state.joined)"), j => j,
            TimeSpan.FromSeconds(15), $"{name} joined");
    }

    private async Task<string> PollScrapeAsync(Func<string, bool> done, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await Poll.UntilAsync(() => http.GetStringAsync($"http://127.0.0.1:{_metricsPort}/metrics"), done, timeout, "scrape shows the room's media");
    }

    private static double? Value(string text, string series)
    {
        var match = Regex.Match(text, "^" + Regex.Escape(series) + @" (\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    public async Task DisposeAsync()
    {
        foreach (var c in _contexts) await c.CloseAsync();
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }
        _log.Close();
    }
}
