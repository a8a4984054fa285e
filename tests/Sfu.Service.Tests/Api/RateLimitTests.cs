using System.Net;

namespace Sfu.Service.Tests.Api;

/// <summary>Each test runs its own server: the limits count per client address, and every test here comes from 127.0.0.1.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Requests_over_requests_per_minute_get_429_with_retry_after()
    {
        await using var server = await ApiServer.StartAsync("security.rate_limit.requests_per_minute=5");
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/api/rooms")).StatusCode);

        var limited = await server.Http.GetAsync("/api/rooms");
        Assert.Equal("rate-limited", await limited.ErrorAsync(HttpStatusCode.TooManyRequests));
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        // Every /api path shares the budget; the rest of the site does not.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await server.Http.GetAsync("/api/nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Room_creation_over_max_rooms_per_ip_gets_429()
    {
        await using var server = await ApiServer.StartAsync("security.rate_limit.max_rooms_per_ip=2");
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/rooms", new { name = $"Room {i}" })).StatusCode);

        var limited = await server.SendAsync(HttpMethod.Post, "/api/rooms", new { name = "One too many" });
        Assert.Equal("rate-limited", await limited.ErrorAsync(HttpStatusCode.TooManyRequests));
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/api/rooms")).StatusCode);
    }

    [Fact]
    public async Task Joins_over_max_participants_per_ip_are_refused_until_one_leaves()
    {
        await using var server = await ApiServer.StartAsync("security.rate_limit.max_participants_per_ip=2");
        var first = await SignalingSocket.ConnectAsync(server.WebSocketUri());
        await first.JoinAsync("crowd");
        await using var second = await SignalingSocket.ConnectAsync(server.WebSocketUri());
        await second.JoinAsync("crowd");
        // Joining again on the same connection does not take a second place.
        await second.SendAsync(new { type = "leave" });
        await second.ReceiveAsync("left");
        await second.JoinAsync("crowd");

        await using (var third = await SignalingSocket.ConnectAsync(server.WebSocketUri()))
        {
            await third.SendAsync(new { type = "join", roomId = "crowd", participantName = "third" });
            var refused = Assert.Single(await third.ReceiveUntilClosedAsync());
            Assert.Equal("rate-limited", refused.GetProperty("code").GetString());
        }

        // The place comes back when the socket closes (the server notices the close asynchronously).
        await first.DisposeAsync();
        await Poll.UntilAsync(async () =>
        {
            await using var probe = await SignalingSocket.ConnectAsync(server.WebSocketUri());
            await probe.SendAsync(new { type = "join", roomId = "crowd", participantName = "probe" });
            return (await probe.ReceiveAsync())?.GetProperty("type").GetString() == "joined";
        });
    }

    [Fact]
    public async Task Disabled_rate_limits_let_everything_through()
    {
        await using var server = await ApiServer.StartAsync("security.rate_limit.enabled=false",
            "security.rate_limit.requests_per_minute=1", "security.rate_limit.max_rooms_per_ip=1", "security.rate_limit.max_participants_per_ip=1");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/rooms", new { name = "Free" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/api/rooms")).StatusCode);
        }
        await using var a = await SignalingSocket.ConnectAsync(server.WebSocketUri());
        await a.JoinAsync("free");
        await using var b = await SignalingSocket.ConnectAsync(server.WebSocketUri());
        await b.JoinAsync("free");
    }

    [Fact]
    public async Task Creating_beyond_max_rooms_is_503_server_full()
    {
        await using var server = await ApiServer.StartAsync("security.rate_limit.enabled=false", "rooms.max_rooms=2");
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/rooms", new { id = "full-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/rooms", new { id = "full-2" })).StatusCode);

        var full = await server.SendAsync(HttpMethod.Post, "/api/rooms", new { id = "full-3" });
        Assert.Equal("server-full", await full.ErrorAsync(HttpStatusCode.ServiceUnavailable));
        // An existing id is still a conflict, not "full".
        Assert.Equal("room-exists", await (await server.SendAsync(HttpMethod.Post, "/api/rooms", new { id = "full-1" })).ErrorAsync(HttpStatusCode.Conflict));

        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Delete, "/api/rooms/full-1")).StatusCode);
        // The room leaves the node's directory right after it acknowledges the close.
        await Poll.UntilAsync(async () => (await (await server.Http.GetAsync("/api/rooms")).JsonAsync()).GetArrayLength() == 1);
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/rooms", new { id = "full-3" })).StatusCode);
    }
}
