using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Sfu.E2E.Tests.Robustness;

/// <summary>A raw signaling WebSocket for sending what a well-behaved client never would; it keeps
/// every message the server sends.</summary>
public sealed class SignalingClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Lock _gate = new();
    private readonly List<JsonElement> _received = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TestLog _log;
    private readonly string _label;
    private Task _reader = Task.CompletedTask;

    private SignalingClient(TestLog log, string label)
    {
        _log = log;
        _label = label;
    }

    public static async Task<SignalingClient> ConnectAsync(SfuServerFixture server, TestLog log, string label)
    {
        var client = new SignalingClient(log, label);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client._socket.ConnectAsync(new Uri(server.SignalingUrl), timeout.Token);
        client._reader = Task.Run(client.ReadLoop);
        return client;
    }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public IReadOnlyList<JsonElement> Received
    {
        get { lock (_gate) return _received.ToList(); }
    }

    public Task SendAsync(string json) => SendAsync(Encoding.UTF8.GetBytes(json));

    public async Task SendAsync(byte[] utf8)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _socket.SendAsync(utf8, WebSocketMessageType.Text, true, timeout.Token);
    }

    public Task SendAsync(object message) => SendAsync(JsonSerializer.Serialize(message));

    public IReadOnlyList<JsonElement> Errors(string code) =>
        Received.Where(m => Type(m) == "error" && m.TryGetProperty("code", out var c) && c.GetString() == code).ToList();

    /// <summary>Waits for the first message after the first <paramref name="skip"/> that matches.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what, int skip = 0, TimeSpan? timeout = null)
    {
        var seen = await Poll.UntilAsync(() => Task.FromResult(Received.Skip(skip).ToList()),
            messages => messages.Any(match) || !IsOpen, timeout ?? TimeSpan.FromSeconds(10), $"{_label}: {what}");
        var found = seen.Where(match).ToList();
        Assert.True(found.Count > 0, $"{_label}: socket closed ({_socket.CloseStatus} {_socket.CloseStatusDescription}) before {what}");
        return found[0];
    }

    /// <summary>Sends <paramref name="json"/> and waits for the error with <paramref name="code"/> that answers it.</summary>
    public async Task<JsonElement> ExpectErrorAsync(string json, string code)
    {
        var skip = Received.Count;
        await SendAsync(json);
        var reply = await WaitForAsync(m => Type(m) == "error", $"an error answering {Shorten(json)}", skip);
        Assert.Equal(code, reply.GetProperty("code").GetString());
        return reply;
    }

    public static string? Type(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("type", out var t) ? t.GetString() : null;

    private static string Shorten(string s) => s.Length <= 80 ? s : $"{s[..80]}… ({s.Length} chars)";

    private async Task ReadLoop()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                    length += result.Count;
                } while (!result.EndOfMessage && length < buffer.Length);
                if (result.MessageType == WebSocketMessageType.Close) return;
                var message = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
                lock (_gate) _received.Add(message);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            _log.Write(_label, $"socket ended: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                // Close output only: the read loop owns receiving and ends on the server's close frame.
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
                await _reader.WaitAsync(timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
                _log.Write(_label, $"close: {e.Message}");
            }
        }
        await _stop.CancelAsync();
        await _reader;
        _socket.Dispose();
        _stop.Dispose();
    }
}
