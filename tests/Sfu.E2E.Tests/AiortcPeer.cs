using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Sfu.E2E.Tests;

/// <summary>peers/aiortc_peer.py as a child process: a non-browser participant (aiortc's own
/// RTP, DTLS and ICE stacks) that prints JSON lines on stdout.</summary>
public sealed class AiortcPeer : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";

    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _seen = [];
    private readonly Task _stdout;
    private readonly Task _stderr;

    private AiortcPeer(Process process, string label, TestLog log)
    {
        _process = process;
        _stdout = PumpStdoutAsync(label, log);
        _stderr = PumpStderrAsync(label, log);
    }

    public static AiortcPeer Start(SfuServerFixture server, string room, string name, TestLog log, params string[] options)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "peers", "aiortc_peer.py");
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (var arg in new[] { "--url", server.SignalingUrl, "--room", room, "--name", name, "--stop-on-stdin-eof" }.Concat(options))
            info.ArgumentList.Add(arg);
        // Unbuffered, so every JSON line reaches the test as it is printed.
        info.Environment["PYTHONUNBUFFERED"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Python}");
        log.Write(name, $"started aiortc peer pid {process.Id}: {string.Join(' ', info.ArgumentList)}");
        return new AiortcPeer(process, name, log);
    }

    /// <summary>Next stdout event whose "event" field is <paramref name="name"/>, earlier ones included.</summary>
    public async Task<JsonElement> WaitForEventAsync(string name, TimeSpan timeout)
    {
        lock (_seen)
        {
            foreach (var seen in _seen)
                if (IsEvent(seen, name)) return seen;
        }
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var next = await _events.Reader.ReadAsync(cts.Token);
                if (IsEvent(next, name)) return next;
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"aiortc peer printed no \"{name}\" event within {timeout.TotalSeconds:0.#} s (exited: {_process.HasExited})");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"aiortc peer exited (code {_process.ExitCode}) before printing \"{name}\"");
        }
    }

    /// <summary>Closes stdin, which makes the peer print its stats, leave and exit.</summary>
    public async Task<JsonElement> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited) _process.StandardInput.Close();
        return await WaitForEventAsync("stats", timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                // It did not exit on end of stdin: end this one child (and its threads) by its id.
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        await Task.WhenAll(_stdout, _stderr);
        _process.Dispose();
    }

    private static bool IsEvent(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("event", out var ev) && ev.GetString() == name;

    private async Task PumpStdoutAsync(string label, TestLog log)
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            log.Write(label, line);
            if (!line.StartsWith('{')) continue;
            var element = JsonDocument.Parse(line).RootElement.Clone();
            lock (_seen) _seen.Add(element);
            await _events.Writer.WriteAsync(element);
        }
        _events.Writer.Complete();
    }

    private async Task PumpStderrAsync(string label, TestLog log)
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
            log.Write(label, line);
    }
}
