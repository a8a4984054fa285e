using System.Net;
using System.Net.Http.Json;
using Sfu.Web.Security;

namespace Sfu.Service.Tests.Api;

public sealed class AuthApiTests(AuthServerFixture fixture) : IClassFixture<AuthServerFixture>
{
    private readonly ApiServer _server = fixture.Server;

    private static string UniqueId(string stem) => $"{stem}-{Guid.NewGuid():N}"[..30];

    private async Task<string> CreateRoomAsync()
    {
        var id = UniqueId("auth");
        var response = await _server.SendAsync(HttpMethod.Post, "/api/rooms", new { id, name = "Auth" }, ApiServer.AdminToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    [Theory]
    [InlineData("GET", "/api/rooms")]
    [InlineData("GET", "/api/rooms/some-room")]
    [InlineData("POST", "/api/rooms")]
    [InlineData("DELETE", "/api/rooms/some-room")]
    [InlineData("GET", "/api/rooms/some-room/stats")]
    [InlineData("POST", "/api/tokens")]
    public async Task Every_endpoint_needs_a_token(string method, string path)
    {
        var response = await _server.SendAsync(new HttpMethod(method), path, method == "POST" ? new { room = "x" } : null);
        Assert.Equal("unauthorized", await response.ErrorAsync(HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task The_openapi_document_needs_no_token_and_describes_the_token_header()
    {
        var response = await _server.Http.GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var scheme = (await response.JsonAsync()).GetProperty("components").GetProperty("securitySchemes").GetProperty("token");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Auth-Token", scheme.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_token_signed_with_another_secret_is_401()
    {
        var forged = AuthServerFixture.TokenServiceWith("another-secret-0123456789-abcdefghijkl", TimeProvider.System)
            .Issue("*", "", [Permissions.Admin], TimeSpan.FromMinutes(5));
        var response = await _server.SendAsync(HttpMethod.Get, "/api/rooms", token: forged);
        Assert.Equal("unauthorized", await response.ErrorAsync(HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var anHourAgo = new ManualTime(DateTimeOffset.UtcNow.AddHours(-1));
        var expired = AuthServerFixture.TokenServiceWith(ApiServer.JwtSecret, anHourAgo).Issue("*", "", [Permissions.Admin], TimeSpan.FromMinutes(5));
        var response = await _server.SendAsync(HttpMethod.Get, "/api/rooms", token: expired);
        Assert.Equal("unauthorized", await response.ErrorAsync(HttpStatusCode.Unauthorized));
        Assert.Contains("expired", (await response.JsonAsync()).GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("test-admin-token-but-longer")]
    public async Task A_malformed_token_is_401(string token)
    {
        var response = await _server.SendAsync(HttpMethod.Get, "/api/rooms", token: token);
        Assert.Equal("unauthorized", await response.ErrorAsync(HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task Any_valid_token_may_list_and_read_rooms()
    {
        var id = await CreateRoomAsync();
        var subscriber = fixture.Token("elsewhere", Permissions.Subscribe);
        Assert.Equal(HttpStatusCode.OK, (await _server.SendAsync(HttpMethod.Get, "/api/rooms", token: subscriber)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.SendAsync(HttpMethod.Get, $"/api/rooms/{id}", token: subscriber)).StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/rooms")]
    [InlineData("DELETE", "/api/rooms/{id}")]
    [InlineData("GET", "/api/rooms/{id}/stats")]
    [InlineData("POST", "/api/tokens")]
    public async Task Admin_endpoints_refuse_a_token_without_admin_permission(string method, string path)
    {
        var id = await CreateRoomAsync();
        var token = fixture.Token("*", Permissions.Publish, Permissions.Subscribe);
        var response = await _server.SendAsync(new HttpMethod(method), path.Replace("{id}", id), method == "POST" ? new { room = id, name = "x" } : null, token);
        Assert.Equal("forbidden", await response.ErrorAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task An_admin_jwt_manages_rooms_and_the_bearer_header_works_too()
    {
        var admin = fixture.Token("*", Permissions.Admin);
        var id = UniqueId("jwt-admin");
        Assert.Equal(HttpStatusCode.Created, (await _server.SendAsync(HttpMethod.Post, "/api/rooms", new { id }, admin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.SendAsync(HttpMethod.Get, $"/api/rooms/{id}/stats", token: admin)).StatusCode);

        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/rooms/{id}");
        delete.Headers.Authorization = new("Bearer", admin);
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Http.SendAsync(delete)).StatusCode);
    }

    [Fact]
    public async Task A_room_scoped_admin_manages_only_its_room()
    {
        var mine = await CreateRoomAsync();
        var other = await CreateRoomAsync();
        var admin = fixture.Token(mine, Permissions.Admin);

        Assert.Equal(HttpStatusCode.OK, (await _server.SendAsync(HttpMethod.Get, $"/api/rooms/{mine}/stats", token: admin)).StatusCode);
        Assert.Equal("forbidden", await (await _server.SendAsync(HttpMethod.Get, $"/api/rooms/{other}/stats", token: admin)).ErrorAsync(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await _server.SendAsync(HttpMethod.Delete, $"/api/rooms/{other}", token: admin)).ErrorAsync(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await _server.SendAsync(HttpMethod.Post, "/api/rooms", new { id = UniqueId("new") }, admin)).ErrorAsync(HttpStatusCode.Forbidden));
        Assert.Equal("forbidden", await (await _server.SendAsync(HttpMethod.Post, "/api/tokens", new { room = other }, admin)).ErrorAsync(HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.OK, (await _server.SendAsync(HttpMethod.Post, "/api/tokens", new { room = mine }, admin)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _server.SendAsync(HttpMethod.Delete, $"/api/rooms/{mine}", token: admin)).StatusCode);
    }

    [Fact]
    public async Task Issued_tokens_carry_what_was_asked_and_are_accepted()
    {
        var id = await CreateRoomAsync();
        var response = await _server.SendAsync(HttpMethod.Post, "/api/tokens",
            new { room = id, name = "Carol", permissions = new[] { "subscribe", "publish", "subscribe" }, ttlSeconds = 120 }, ApiServer.AdminToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issued = (await response.Content.ReadFromJsonAsync<Sfu.Web.Api.TokenResponse>())!;
        Assert.Equal(id, issued.Room);
        Assert.Equal("Carol", issued.Name);
        Assert.Equal(["subscribe", "publish"], issued.Permissions);
        Assert.InRange(issued.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(100), DateTimeOffset.UtcNow.AddSeconds(130));

        Assert.True(fixture.Tokens.TryValidate(issued.Token, out var access, out _));
        Assert.Equal(id, access!.Room);
        Assert.Equal("Carol", access.Name);
        Assert.Equal(["subscribe", "publish"], access.Permissions);

        await using var socket = await SignalingSocket.ConnectAsync(_server.WebSocketUri());
        await socket.JoinAsync(id, "Someone Else", issued.Token);
        var room = await (await _server.SendAsync(HttpMethod.Get, $"/api/rooms/{id}", token: issued.Token)).JsonAsync();
        Assert.Equal("Carol", Assert.Single(room.GetProperty("participants").EnumerateArray()).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("{\"name\": \"no room\"}")]
    [InlineData("{\"room\": \"bad room\"}")]
    [InlineData("{\"room\": \"r\", \"permissions\": [\"fly\"]}")]
    [InlineData("{\"room\": \"r\", \"permissions\": [null]}")]
    [InlineData("{\"room\": \"r\", \"ttlSeconds\": 0}")]
    [InlineData("{\"room\": \"r\", \"ttlSeconds\": 86401}")]
    public async Task Token_requests_are_validated(string body)
    {
        var response = await _server.PostRawAsync("/api/tokens", body, ApiServer.AdminToken);
        Assert.Equal("invalid-request", await response.ErrorAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_join_without_a_token_gets_unauthorized_and_the_socket_closes()
    {
        await using var socket = await SignalingSocket.ConnectAsync(_server.WebSocketUri());
        await socket.SendAsync(new { type = "join", roomId = "locked", participantName = "x" });
        await AssertRefusedAsync(socket, "unauthorized");
    }

    public static TheoryData<string> BadJoinTokens() => ["forged", "expired", "other-room", "garbage"];

    [Theory]
    [MemberData(nameof(BadJoinTokens))]
    public async Task A_join_with_a_bad_token_gets_unauthorized_and_the_socket_closes(string kind)
    {
        var token = kind switch
        {
            "forged" => AuthServerFixture.TokenServiceWith("another-secret-0123456789-abcdefghijkl", TimeProvider.System).Issue("locked", "", [Permissions.Publish], TimeSpan.FromMinutes(5)),
            "expired" => AuthServerFixture.TokenServiceWith(ApiServer.JwtSecret, new ManualTime(DateTimeOffset.UtcNow.AddHours(-1))).Issue("locked", "", [Permissions.Publish], TimeSpan.FromMinutes(5)),
            "other-room" => fixture.Token("another-room", Permissions.Publish, Permissions.Subscribe),
            _ => "not.a.jwt",
        };
        await using var inJoin = await SignalingSocket.ConnectAsync(_server.WebSocketUri());
        await inJoin.SendAsync(new { type = "join", roomId = "locked", participantName = "x", token });
        await AssertRefusedAsync(inJoin, "unauthorized");

        await using var inQuery = await SignalingSocket.ConnectAsync(_server.WebSocketUri(token));
        await inQuery.SendAsync(new { type = "join", roomId = "locked", participantName = "x" });
        await AssertRefusedAsync(inQuery, "unauthorized");
    }

    [Fact]
    public async Task A_token_in_the_query_or_the_join_admits_the_client()
    {
        var room = UniqueId("ws");
        await using var viaQuery = await SignalingSocket.ConnectAsync(_server.WebSocketUri(fixture.Token(room, Permissions.Subscribe)));
        await viaQuery.JoinAsync(room);
        await using var viaJoin = await SignalingSocket.ConnectAsync(_server.WebSocketUri());
        await viaJoin.JoinAsync(room, token: fixture.Token("*", Permissions.Publish));
        await using var viaAdmin = await SignalingSocket.ConnectAsync(_server.WebSocketUri());
        await viaAdmin.JoinAsync(room, token: ApiServer.AdminToken);
    }

    [Fact]
    public async Task A_token_without_publish_cannot_send_a_publisher_offer()
    {
        var room = UniqueId("watch");
        await using var socket = await SignalingSocket.ConnectAsync(_server.WebSocketUri());
        await socket.JoinAsync(room, token: fixture.Token(room, Permissions.Subscribe));
        await socket.SendAsync(new { type = "offer", sdp = "v=0\r\n", target = "publisher" });
        var error = await socket.ReceiveAsync("error");
        Assert.Equal("forbidden", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_token_with_publish_may_send_a_publisher_offer()
    {
        var room = UniqueId("speak");
        await using var socket = await SignalingSocket.ConnectAsync(_server.WebSocketUri());
        await socket.JoinAsync(room, token: fixture.Token(room, Permissions.Publish));
        await socket.SendAsync(new { type = "offer", sdp = "v=0\r\n", target = "publisher" });
        // The room gets the offer: this junk SDP fails negotiation, not permission.
        var error = await socket.ReceiveAsync("error");
        Assert.NotEqual("forbidden", error.GetProperty("code").GetString());
    }

    private static async Task AssertRefusedAsync(SignalingSocket socket, string code)
    {
        var messages = await socket.ReceiveUntilClosedAsync();
        var error = Assert.Single(messages);
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }
}
