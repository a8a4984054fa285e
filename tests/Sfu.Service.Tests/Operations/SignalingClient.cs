using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Sfu.Service.Tests.Operations;

/// <summary>A signaling WebSocket client that sends JSON messages and waits for typed server messages.</summary>
internal sealed class SignalingClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private SignalingClient(ClientWebSocket socket) => _socket = socket;

    public WebSocketState State => _socket.State;
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<SignalingClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(uri, timeout.Token);
        return new SignalingClient(socket);
    }

    public Task SendAsync(object message) =>
        _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message of <paramref name="type"/>, skipping others; null when the server closed first.</summary>
    public async Task<JsonElement?> ReceiveAsync(string type, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (await ReceiveAnyAsync(cts.Token) is { } message)
            if (message.GetProperty("type").GetString() == type) return message;
        return null;
    }

    /// <summary>One message; null when the server closed the socket (the close is answered).</summary>
    public async Task<JsonElement?> ReceiveAnyAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
                return null;
            }
            text.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return JsonDocument.Parse(Encoding.UTF8.GetString(text.ToArray())).RootElement.Clone();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server may already be gone; the socket is released below either way.
            }
        }
        _socket.Dispose();
    }
}
