using System.Net;
using System.Text.Json;

namespace Sfu.Service.Tests.Api;

public sealed class RoomApiTests(OpenServerFixture fixture) : IClassFixture<OpenServerFixture>
{
    private readonly ApiServer _server = fixture.Server;

    private static string UniqueId(string stem) => $"{stem}-{Guid.NewGuid():N}"[..30];

    [Fact]
    public async Task Create_answers_201_with_the_room_and_its_location()
    {
        var response = await _server.SendAsync(HttpMethod.Post, "/api/rooms", new { name = "Conference Room", maxParticipants = 50 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var room = await response.JsonAsync();
        var id = room.GetProperty("id").GetString()!;
        Assert.StartsWith("conference-room-", id);
        Assert.Equal("Conference Room", room.GetProperty("name").GetString());
        Assert.Equal(50, room.GetProperty("maxParticipants").GetInt32());
        Assert.Equal(0, room.GetProperty("participants").GetArrayLength());
        Assert.False(room.GetProperty("recording").GetBoolean());
        Assert.True(room.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal($"/api/rooms/{id}", response.Headers.Location?.OriginalString);

        var fetched = await _server.Http.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(id, (await fetched.JsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Create_with_an_id_uses_it_and_a_second_create_conflicts()
    {
        var id = UniqueId("chosen");
        var first = await _server.SendAsync(HttpMethod.Post, "/api/rooms", new { id, name = "Chosen" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var room = await first.JsonAsync();
        Assert.Equal(id, room.GetProperty("id").GetString());
        Assert.Equal(60, room.GetProperty("maxParticipants").GetInt32());

        var second = await _server.SendAsync(HttpMethod.Post, "/api/rooms", new { id, name = "Again" });
        Assert.Equal("room-exists", await second.ErrorAsync(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Create_without_a_name_names_the_room_after_its_id()
    {
        var response = await _server.PostRawAsync("/api/rooms", "{\"unknownField\": [1, 2], \"maxParticipants\": 1}");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var room = await response.JsonAsync();
        Assert.StartsWith("room-", room.GetProperty("id").GetString());
        Assert.Equal(room.GetProperty("id").GetString(), room.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("{\"name\": \"\"}")]
    [InlineData("{\"name\": \"   \"}")]
    [InlineData("{\"maxParticipants\": 0}")]
    [InlineData("{\"maxParticipants\": 61}")]
    [InlineData("{\"maxParticipants\": -5}")]
    [InlineData("{\"id\": \"has space\"}")]
    [InlineData("{\"id\": \"\"}")]
    [InlineData("{\"id\": \"a/b\"}")]
    public async Task Create_refuses_invalid_fields_with_400(string body)
    {
        var response = await _server.PostRawAsync("/api/rooms", body);
        Assert.Equal("invalid-request", await response.ErrorAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Create_refuses_a_name_over_100_characters_and_accepts_100()
    {
        var tooLong = await _server.SendAsync(HttpMethod.Post, "/api/rooms", new { name = new string('n', 101) });
        Assert.Equal("invalid-request", await tooLong.ErrorAsync(HttpStatusCode.BadRequest));
        var longest = await _server.SendAsync(HttpMethod.Post, "/api/rooms", new { name = new string('n', 100) });
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("not json")]
    [InlineData("[1, 2, 3]")]
    [InlineData("null")]
    [InlineData("{\"maxParticipants\": \"many\"}")]
    [InlineData("{\"name\": 5}")]
    [InlineData("")]
    public async Task Create_refuses_malformed_json_with_400(string body)
    {
        var response = await _server.PostRawAsync("/api/rooms", body);
        Assert.Equal("invalid-json", await response.ErrorAsync(HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("/api/rooms", false)]
    [InlineData("/api/rooms", true)]
    [InlineData("/api/tokens", false)]
    public async Task A_body_over_64_KiB_gets_413_whether_its_length_is_declared_or_streamed(string path, bool chunked)
    {
        var big = System.Text.Encoding.UTF8.GetBytes("{\"name\": \"" + new string('x', 70 * 1024) + "\"}");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(new MemoryStream(big)) };
        request.Content.Headers.ContentType = new("application/json");
        if (chunked) request.Headers.TransferEncodingChunked = true;
        else request.Content.Headers.ContentLength = big.Length;
        // Waiting for "100 Continue" keeps the client from sending a body the server will not read: without it the
        // server's close can reset the connection before the client reads the 413 (RFC 9110 section 10.1.1).
        request.Headers.ExpectContinue = true;
        var response = await _server.Http.SendAsync(request);
        Assert.Equal("payload-too-large", await response.ErrorAsync(HttpStatusCode.RequestEntityTooLarge));
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        var response = await _server.Http.PostAsync("/api/rooms", new StringContent("name=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal("unsupported-media-type", await response.ErrorAsync(HttpStatusCode.UnsupportedMediaType));
    }

    [Fact]
    public async Task List_includes_created_rooms()
    {
        var id = UniqueId("listed");
        Assert.Equal(HttpStatusCode.Created, (await _server.SendAsync(HttpMethod.Post, "/api/rooms", new { id, name = "Listed", maxParticipants = 3 })).StatusCode);

        var response = await _server.Http.GetAsync("/api/rooms");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rooms = (await response.JsonAsync()).EnumerateArray().ToList();
        var listed = Assert.Single(rooms, r => r.GetProperty("id").GetString() == id);
        Assert.Equal("Listed", listed.GetProperty("name").GetString());
        Assert.Equal(3, listed.GetProperty("maxParticipants").GetInt32());
    }

    [Fact]
    public async Task Get_shows_joined_participants()
    {
        var id = UniqueId("occupied");
        await _server.SendAsync(HttpMethod.Post, "/api/rooms", new { id, name = "Occupied" });
        await using var socket = await SignalingSocket.ConnectAsync(_server.WebSocketUri());
        var joined = await socket.JoinAsync(id, "Alice");
        var participantId = joined.GetProperty("participantId").GetString();

        var room = await (await _server.Http.GetAsync($"/api/rooms/{id}")).JsonAsync();
        var participant = Assert.Single(room.GetProperty("participants").EnumerateArray());
        Assert.Equal(participantId, participant.GetProperty("id").GetString());
        Assert.Equal("Alice", participant.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Array, participant.GetProperty("tracks").ValueKind);
    }

    [Theory]
    [InlineData("/api/rooms/never-created")]
    [InlineData("/api/rooms/never-created/stats")]
    [InlineData("/api/rooms/bad%20id")]
    public async Task Unknown_rooms_are_404_room_not_found(string path)
    {
        var response = await _server.Http.GetAsync(path);
        Assert.Equal("room-not-found", await response.ErrorAsync(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Delete_closes_the_room_and_disconnects_its_participants()
    {
        var id = UniqueId("closing");
        await _server.SendAsync(HttpMethod.Post, "/api/rooms", new { id, name = "Closing" });
        await using var socket = await SignalingSocket.ConnectAsync(_server.WebSocketUri());
        await socket.JoinAsync(id);

        var response = await _server.SendAsync(HttpMethod.Delete, $"/api/rooms/{id}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var before = await socket.ReceiveUntilClosedAsync();
        Assert.Contains(before, m => m.GetProperty("type").GetString() == "room-closed");
        Assert.Equal("room-not-found", await (await _server.Http.GetAsync($"/api/rooms/{id}")).ErrorAsync(HttpStatusCode.NotFound));
        Assert.DoesNotContain((await (await _server.Http.GetAsync("/api/rooms")).JsonAsync()).EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Equal("room-not-found", await (await _server.SendAsync(HttpMethod.Delete, $"/api/rooms/{id}")).ErrorAsync(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Stats_list_each_participant()
    {
        var id = UniqueId("measured");
        await _server.SendAsync(HttpMethod.Post, "/api/rooms", new { id, name = "Measured" });
        await using var socket = await SignalingSocket.ConnectAsync(_server.WebSocketUri());
        var participantId = (await socket.JoinAsync(id, "Bob")).GetProperty("participantId").GetString();

        var response = await _server.Http.GetAsync($"/api/rooms/{id}/stats");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stats = await response.JsonAsync();
        Assert.Equal(id, stats.GetProperty("roomId").GetString());
        var participant = Assert.Single(stats.GetProperty("participants").EnumerateArray());
        Assert.Equal(participantId, participant.GetProperty("participantId").GetString());
        Assert.Equal("Bob", participant.GetProperty("name").GetString());
        Assert.Equal(0, participant.GetProperty("published").GetArrayLength());
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("GET", "/api/rooms/a/b/c")]
    [InlineData("DELETE", "/api/tokens/x")]
    public async Task Unknown_api_paths_are_404_json(string method, string path)
    {
        var response = await _server.SendAsync(new HttpMethod(method), path);
        Assert.Equal("not-found", await response.ErrorAsync(HttpStatusCode.NotFound));
    }

    [Theory]
    [InlineData("PUT", "/api/rooms")]
    [InlineData("POST", "/api/rooms/x/stats")]
    public async Task A_wrong_method_on_a_known_path_is_405_json(string method, string path)
    {
        var response = await _server.SendAsync(new HttpMethod(method), path);
        Assert.Equal("method-not-allowed", await response.ErrorAsync(HttpStatusCode.MethodNotAllowed));
    }

    [Fact]
    public async Task Tokens_cannot_be_issued_without_a_jwt_secret()
    {
        var response = await _server.SendAsync(HttpMethod.Post, "/api/tokens", new { room = "r", name = "n" });
        Assert.Equal("tokens-disabled", await response.ErrorAsync(HttpStatusCode.ServiceUnavailable));
    }

    [Fact]
    public async Task With_auth_off_a_join_needs_no_token()
    {
        await using var socket = await SignalingSocket.ConnectAsync(_server.WebSocketUri());
        var joined = await socket.JoinAsync(UniqueId("open"), token: "not-a-token");
        Assert.False(string.IsNullOrEmpty(joined.GetProperty("participantId").GetString()));
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint()
    {
        var response = await _server.Http.GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await response.JsonAsync();
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        var paths = doc.GetProperty("paths");
        Assert.Equal(["/api/rooms", "/api/rooms/{id}", "/api/rooms/{id}/stats", "/api/tokens"],
            paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        var create = paths.GetProperty("/api/rooms").GetProperty("post");
        Assert.Equal("CreateRoom", create.GetProperty("operationId").GetString());
        Assert.Equal("Create a room", create.GetProperty("summary").GetString());
        var responses = create.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "201", "400", "401", "403", "409", "413", "429", "503" }, responses);
        Assert.True(create.TryGetProperty("requestBody", out _));
        Assert.Equal("CloseRoom", paths.GetProperty("/api/rooms/{id}").GetProperty("delete").GetProperty("operationId").GetString());
        Assert.Equal("GetRoomStats", paths.GetProperty("/api/rooms/{id}/stats").GetProperty("get").GetProperty("operationId").GetString());
        Assert.Equal("IssueToken", paths.GetProperty("/api/tokens").GetProperty("post").GetProperty("operationId").GetString());
    }
}
