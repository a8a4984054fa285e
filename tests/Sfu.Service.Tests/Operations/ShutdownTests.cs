using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace Sfu.Service.Tests.Operations;

public class ShutdownTests
{
    [Fact]
    public async Task Stopping_tells_a_joined_client_server_shutdown_then_closes_leaves_the_cluster_and_ends_in_time()
    {
        var server = await RunningServer.StartAsync();
        await using var _ = server;
        var system = server.App.Services.GetRequiredService<ActorSystem>();
        await using var client = await SignalingClient.ConnectAsync(server.SignalingUri);
        await client.SendAsync(new { type = "join", roomId = "bye", participantName = "x" });
        Assert.NotNull(await client.ReceiveAsync("joined"));

        var clock = Stopwatch.StartNew();
        var stopping = server.StopAsync();
        var notice = await client.ReceiveAsync("server-shutdown");
        Assert.NotNull(notice);
        // Then the server closes the socket (ReceiveAnyAsync answers the close and returns null).
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            Assert.Null(await client.ReceiveAnyAsync(cts.Token));
        await stopping;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"stopped in {clock.Elapsed}");
        Assert.True(system.WhenTerminated.IsCompleted, "actor system terminated by CoordinatedShutdown");
        Assert.True(Cluster.Get(system).IsTerminated, "cluster left");
    }

    [Fact]
    public async Task While_draining_ready_is_503_with_a_reason_and_new_sockets_are_refused()
    {
        await using var server = await RunningServer.StartAsync();
        await Poll.UntilAsync(() => server.Http.GetAsync("/ready"), r => r.StatusCode == HttpStatusCode.OK, "ready");
        // A client that has not read its messages yet keeps the drain waiting, once the server has registered its
        // session (a moment after the WebSocket handshake; before that the drain would not wait for it).
        await using var slow = await SignalingClient.ConnectAsync(server.SignalingUri);
        var gate = server.App.Services.GetRequiredService<Sfu.Web.Signaling.SignalingGate>();
        await Poll.UntilAsync(() => Task.FromResult(gate.Sessions), n => n == 1, "the slow client's session registered");

        var stopping = server.StopAsync();
        var notReady = await Poll.UntilAsync(() => server.Http.GetAsync("/ready"), r => r.StatusCode == HttpStatusCode.ServiceUnavailable, "not ready");
        var body = await notReady.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not-ready", body.GetProperty("status").GetString());
        Assert.Equal("shutting down", body.GetProperty("reason").GetString());
        // Refused with 503 while the server drains; once the drain ended (the slow client's socket closed) the listener
        // is gone and the connection itself is refused. Either way no new socket gets in.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => SignalingClient.ConnectAsync(server.SignalingUri));
        Assert.True(refused.Message.Contains("503") || refused.Message.Contains("Unable to connect"), refused.Message);

        Assert.NotNull(await slow.ReceiveAsync("server-shutdown"));
        await stopping;
    }
}
