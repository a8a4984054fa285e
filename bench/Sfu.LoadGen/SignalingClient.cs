using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Sfu.LoadGen;

/// <summary>
/// The client end of the signaling WebSocket (docs/signaling.md): one JSON object per text frame. Messages are
/// handed to <see cref="Received"/> on the receive loop, one at a time, in order.
/// </summary>
internal sealed class SignalingClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiveLoop;

    /// <summary>Called with each message's type and root element; the element is only valid during the call.</summary>
    public Func<string, JsonElement, Task>? Received { get; set; }
    public Action<Exception>? Failed { get; set; }

    public static Uri SignalingUri(Uri server) =>
        new UriBuilder(server) { Scheme = server.Scheme == "https" ? "wss" : "ws", Path = "/ws" }.Uri;

    public async Task ConnectAsync(Uri server, CancellationToken ct)
    {
        await _socket.ConnectAsync(SignalingUri(server), ct);
        _receiveLoop = Task.Run(ReceiveLoop);
    }

    public async Task SendAsync(object message, CancellationToken ct = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await _sendGate.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[16 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                using var doc = JsonDocument.Parse(message.GetBuffer().AsMemory(0, (int)message.Length));
                message.SetLength(0);
                var root = doc.RootElement;
                var type = root.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
                if (Received is { } handler) await handler(type, root);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is WebSocketException or JsonException or IOException)
        {
            if (!_stop.IsCancellationRequested) Failed?.Invoke(e);
        }
    }

    /// <summary>Says "leave" if the socket still takes it, then closes it.</summary>
    public async ValueTask LeaveAndDisposeAsync()
    {
        try
        {
            await SendAsync(new { type = "leave" });
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or InvalidOperationException or ObjectDisposedException)
        {
        }
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server may already have gone; closing is a courtesy.
            }
        }
        // Cancelling a pending receive aborts the socket, so it comes after the close frame went out.
        _stop.Cancel();
        if (_receiveLoop is not null) await _receiveLoop.ConfigureAwait(false);
        _socket.Dispose();
    }

    public static string Text(JsonElement root, string property) =>
        root.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    public static string Describe(JsonElement root) => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(root));
}
