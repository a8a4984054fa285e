using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sfu.LoadGen;

/// <summary>A Janus API or VideoRoom plugin error (e.g. 428: no such feed, 427: room exists).</summary>
internal sealed class JanusException(int code, string reason) : Exception($"janus {code}: {reason}")
{
    public int Code { get; } = code;
}

/// <summary>
/// One Janus session over its plain HTTP API (janus.transport.http): POST /janus creates it, POST /janus/SESSION
/// attaches plugin handles, POST /janus/SESSION/HANDLE carries plugin messages, and a long-poll
/// GET /janus/SESSION?maxev=1 brings the asynchronous events. A message answered with "ack" completes when the
/// event carrying its transaction arrives; one answered with "success" completes at once (synchronous requests
/// such as VideoRoom's create and listparticipants). Each load client has its own session, as a browser would.
/// </summary>
internal sealed class JanusSession : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private long _transactions;
    private Task? _poll;

    private JanusSession(HttpClient http, Uri baseUri, long id)
    {
        _http = http;
        _base = baseUri;
        Id = id;
    }

    public long Id { get; }
    public Action<Exception>? Failed { get; set; }

    public static async Task<JanusSession> CreateAsync(HttpClient http, Uri janus, CancellationToken ct)
    {
        var baseUri = new Uri(janus.AbsoluteUri.TrimEnd('/') + "/");
        var reply = await PostAsync(http, baseUri, new JsonObject { ["janus"] = "create", ["transaction"] = "create" }, ct);
        var session = new JanusSession(http, baseUri, reply.GetProperty("data").GetProperty("id").GetInt64());
        session._poll = Task.Run(session.PollLoop);
        return session;
    }

    public async Task<long> AttachAsync(string plugin, CancellationToken ct)
    {
        var reply = await PostAsync(_http, new Uri(_base, $"{Id}"),
            new JsonObject { ["janus"] = "attach", ["plugin"] = plugin, ["transaction"] = NextTransaction() }, ct);
        return reply.GetProperty("data").GetProperty("id").GetInt64();
    }

    /// <summary>
    /// Sends a plugin message (with an optional JSEP) and returns the plugin's answer: the root of the "success"
    /// reply or of the event that completes an "ack". Plugin errors (data.error_code) throw <see cref="JanusException"/>.
    /// </summary>
    public async Task<JsonElement> MessageAsync(long handle, JsonObject body, JsonObject? jsep, TimeSpan timeout, CancellationToken ct)
    {
        var transaction = NextTransaction();
        var message = new JsonObject { ["janus"] = "message", ["transaction"] = transaction, ["body"] = body };
        if (jsep is not null) message["jsep"] = jsep;
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[transaction] = tcs;
        try
        {
            var reply = await PostAsync(_http, new Uri(_base, $"{Id}/{handle}"), message, ct);
            var root = Text(reply, "janus") == "ack" ? await tcs.Task.WaitAsync(timeout, ct) : reply;
            ThrowOnPluginError(root);
            return root;
        }
        finally
        {
            _pending.TryRemove(transaction, out _);
        }
    }

    /// <summary>Tells Janus there are no more candidates (we listed ours in the SDP with end-of-candidates).</summary>
    public Task TrickleCompletedAsync(long handle, CancellationToken ct) =>
        PostAsync(_http, new Uri(_base, $"{Id}/{handle}"), new JsonObject
        {
            ["janus"] = "trickle", ["transaction"] = NextTransaction(), ["candidate"] = new JsonObject { ["completed"] = true },
        }, ct);

    public static JsonElement PluginData(JsonElement root) =>
        root.TryGetProperty("plugindata", out var pd) && pd.TryGetProperty("data", out var data) ? data : default;

    private static void ThrowOnPluginError(JsonElement root)
    {
        var data = PluginData(root);
        if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("error_code", out var code))
            throw new JanusException(code.GetInt32(), Text(data, "error"));
    }

    private string NextTransaction() => $"t{Interlocked.Increment(ref _transactions)}";

    private async Task PollLoop()
    {
        var uri = new Uri(_base, $"{Id}?maxev=1");
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var response = await _http.GetAsync(uri, _stop.Token);
                response.EnsureSuccessStatusCode();
                using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(_stop.Token));
                // maxev=1 gives one object; larger maxev an array: accept both.
                if (doc.RootElement.ValueKind == JsonValueKind.Array)
                    foreach (var e in doc.RootElement.EnumerateArray()) Dispatch(e);
                else
                    Dispatch(doc.RootElement);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException or IOException)
            {
                Failed?.Invoke(e);
                try { await Task.Delay(200, _stop.Token); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private void Dispatch(JsonElement e)
    {
        if (Text(e, "transaction") is { Length: > 0 } t && _pending.TryGetValue(t, out var tcs))
            tcs.TrySetResult(e.Clone());
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, Uri uri, JsonObject body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(uri, body, ct);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(ct));
        var root = doc.RootElement.Clone();
        if (Text(root, "janus") == "error" && root.TryGetProperty("error", out var err))
            throw new JanusException(err.GetProperty("code").GetInt32(), Text(err, "reason"));
        return root;
    }

    public static string Text(JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await PostAsync(_http, new Uri(_base, $"{Id}"), new JsonObject { ["janus"] = "destroy", ["transaction"] = NextTransaction() }, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or JanusException or OperationCanceledException or JsonException)
        {
            // Janus reaps idle sessions itself; destroying is a courtesy that ends the media sooner.
        }
        _stop.Cancel();
        if (_poll is not null) await _poll.ConfigureAwait(false);
        _stop.Dispose();
    }
}
