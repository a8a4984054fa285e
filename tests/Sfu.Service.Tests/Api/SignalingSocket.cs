using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Sfu.Service.Tests.Api;

/// <summary>A signaling client over a real WebSocket: send JSON, read messages, see the server close.</summary>
public sealed class SignalingSocket : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket _socket = new();

    public static async Task<SignalingSocket> ConnectAsync(Uri uri)
    {
        var s = new SignalingSocket();
        using var cts = new CancellationTokenSource(Wait);
        await s._socket.ConnectAsync(uri, cts.Token);
        return s;
    }

    public Task SendAsync(object message)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        return _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
    }

    /// <summary>The next message, or null when the server closed the socket.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(Wait);
        var buffer = new byte[64 * 1024];
        var text = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            text.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return JsonDocument.Parse(text.ToArray()).RootElement.Clone();
        }
    }

    /// <summary>Skips messages until one of <paramref name="type"/> arrives; fails if the socket closes first.</summary>
    public async Task<JsonElement> ReceiveAsync(string type)
    {
        while (true)
        {
            var message = await ReceiveAsync() ?? throw new Xunit.Sdk.XunitException($"socket closed before a {type} message");
            if (message.GetProperty("type").GetString() == type) return message;
        }
    }

    /// <summary>Reads until the server closes the socket; returns what came before.</summary>
    public async Task<List<JsonElement>> ReceiveUntilClosedAsync()
    {
        var messages = new List<JsonElement>();
        while (await ReceiveAsync() is { } m) messages.Add(m);
        return messages;
    }

    public Task<JsonElement> JoinAsync(string room, string name = "tester", string? token = null) =>
        SendThen(new { type = "join", roomId = room, participantName = name, token }, "joined");

    private async Task<JsonElement> SendThen(object message, string type)
    {
        await SendAsync(message);
        return await ReceiveAsync(type);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token); }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        }
        _socket.Dispose();
    }
}
