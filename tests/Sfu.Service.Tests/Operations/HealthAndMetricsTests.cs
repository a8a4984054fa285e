using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Sfu.Web.Metrics;

namespace Sfu.Service.Tests.Operations;

public class HealthAndMetricsTests
{
    [Fact]
    public async Task Health_keeps_the_original_shape_and_ready_turns_200_once_the_node_is_up()
    {
        await using var server = await RunningServer.StartAsync();

        var health = await server.Http.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal(0, health.GetProperty("rooms").GetInt32());
        Assert.Equal(0, health.GetProperty("participants").GetInt32());
        Assert.Equal(1000, health.GetProperty("config").GetProperty("max_rooms").GetInt32());
        Assert.Equal(100, health.GetProperty("config").GetProperty("max_participants_per_room").GetInt32());

        var ready = await Poll.UntilAsync(() => server.Http.GetAsync("/ready"), r => r.StatusCode == HttpStatusCode.OK, "ready");
        Assert.Equal("ready", (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Metrics_are_served_on_their_own_port_with_runtime_metrics_and_real_counts()
    {
        await using var server = await RunningServer.StartAsync();
        // Not on the signaling port.
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/metrics")).StatusCode);

        var before = await Scrape.GetAsync(server.MetricsPort);
        Assert.Equal(0, Scrape.Value(before, "webrtc_rooms_total"));
        Assert.Equal(0, Scrape.Value(before, "webrtc_participants_total"));
        Assert.NotNull(Scrape.Value(before, "sfu_forwarding_latency_seconds_bucket{le=\"2.5e-05\"}"));
        Assert.NotNull(Scrape.Value(before, "process_working_set_bytes"));
        Assert.Contains("dotnet_collection_count_total", before);
        foreach (var reason in Enum.GetValues<Sfu.WebRtc.Transport.DropReason>())
            Assert.NotNull(Scrape.Value(before, $"sfu_dropped_packets_total{{reason=\"{SfuMetrics.Label(reason.ToString())}\"}}"));
        var unknownBefore = Scrape.Value(before, "sfu_dropped_packets_total{reason=\"unknown_datagram\"}")!.Value;

        // A datagram no demultiplexer claims (first byte 64..127, RFC 7983 §7) is dropped and counted.
        using (var udp = new UdpClient())
            await udp.SendAsync(new byte[] { 100, 1, 2, 3 }, new IPEndPoint(IPAddress.Loopback, server.UdpPort));
        await using var client = await SignalingClient.ConnectAsync(server.SignalingUri);
        await client.SendAsync(new { type = "join", roomId = "metrics-room", participantName = "m" });
        Assert.NotNull(await client.ReceiveAsync("joined"));

        var after = await Poll.UntilAsync(() => Scrape.GetAsync(server.MetricsPort),
            t => Scrape.Value(t, "sfu_dropped_packets_total{reason=\"unknown_datagram\"}") > unknownBefore, "drop counted");
        Assert.Equal(1, Scrape.Value(after, "webrtc_rooms_total"));
        Assert.Equal(1, Scrape.Value(after, "webrtc_participants_total"));
        Assert.Equal(0, Scrape.Value(after, "webrtc_video_tracks_total"));
        Assert.Equal(1, Scrape.Value(after, "sfu_signaling_connections"));
    }

    [Fact]
    public async Task A_taken_metrics_port_is_logged_and_the_node_runs_without_metrics()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        await using var server = await RunningServer.StartAsync(metricsPort: port);

        Assert.Empty(server.App.Services.GetRequiredService<MetricsServer>().Urls);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Worker_threads_size_the_receive_threads_and_the_media_dispatcher()
    {
        await using var server = await RunningServer.StartAsync(["performance.worker_threads=3"]);

        var system = server.App.Services.GetRequiredService<ActorSystem>();
        Assert.Equal(3, server.App.Services.GetRequiredService<Sfu.WebRtc.Transport.UdpMux>().ReceiveThreads);
        Assert.Equal(3, system.Settings.Config.GetInt("akka.actor.sfu-media-dispatcher.dedicated-thread-pool.thread-count"));
        Assert.True(system.Dispatchers.HasDispatcher("akka.actor.sfu-media-dispatcher"));
        Assert.True(system.Dispatchers.HasDispatcher("akka.actor.sfu-inline-dispatcher"));
    }

    [Theory]
    [InlineData(true, "akka.actor.sfu-inline-dispatcher")]
    [InlineData(false, "akka.actor.sfu-media-dispatcher")]
    public void Inline_media_picks_the_dispatcher_the_graphs_run_on(bool inline, string dispatcher)
    {
        var defaults = Sfu.Service.Configuration.SfuConfig.Default;
        var config = defaults with { Performance = defaults.Performance with { InlineMedia = inline } };
        Assert.Equal(dispatcher, SfuApplication.MediaSettingsFrom(config, System.Net.IPAddress.Loopback).Dispatcher);
    }

    [Fact]
    public async Task Joins_over_the_memory_limit_are_refused_as_server_full_and_counted()
    {
        // 1 MB total: any real process is above it.
        await using var server = await RunningServer.StartAsync(["performance.max_memory_total=1"]);
        await using var client = await SignalingClient.ConnectAsync(server.SignalingUri);

        await client.SendAsync(new { type = "join", roomId = "full", participantName = "x" });
        var error = await client.ReceiveAsync("error");

        Assert.Equal("server-full", error!.Value.GetProperty("code").GetString());
        Assert.Contains("max_memory_total", error.Value.GetProperty("message").GetString());
        var metrics = await Scrape.GetAsync(server.MetricsPort);
        Assert.Equal(1, Scrape.Value(metrics, "sfu_joins_refused_total{reason=\"memory_total\"}"));
        Assert.Equal(0, Scrape.Value(metrics, "webrtc_rooms_total"));
    }

    [Fact]
    public async Task An_empty_room_expires_after_the_idle_timeout()
    {
        await using var server = await RunningServer.StartAsync(["rooms.idle_timeout=1"]);
        await using var client = await SignalingClient.ConnectAsync(server.SignalingUri);
        await client.SendAsync(new { type = "join", roomId = "idle", participantName = "x" });
        Assert.NotNull(await client.ReceiveAsync("joined"));
        Assert.Equal(1, (await server.Http.GetFromJsonAsync<JsonElement>("/health")).GetProperty("rooms").GetInt32());

        await client.SendAsync(new { type = "leave" });
        Assert.NotNull(await client.ReceiveAsync("left"));

        var health = await Poll.UntilAsync(() => server.Http.GetFromJsonAsync<JsonElement>("/health"),
            h => h.GetProperty("rooms").GetInt32() == 0, "room closed after idle_timeout", TimeSpan.FromSeconds(10));
        Assert.Equal(0, health.GetProperty("participants").GetInt32());
    }
}
