using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sfu.LoadGen;

/// <summary>
/// Runs src/Sfu.Service as a child process on free loopback ports, announcing 127.0.0.1, so a load run measures
/// exactly one server process. Builds it (Release) first when its output is missing.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(Process process, Uri baseUri, int udpPort, string logPath, StreamWriter log)
    {
        _process = process;
        BaseUri = baseUri;
        UdpPort = udpPort;
        LogPath = logPath;
        _log = log;
    }

    public Uri BaseUri { get; }
    public int UdpPort { get; }
    public int Pid => _process.Id;
    public string LogPath { get; }

    public static async Task<ServerProcess> StartAsync(IReadOnlyList<string> settings, Action<string> say, CancellationToken ct)
    {
        var root = FindRepository();
        var dll = Path.Combine(root, "src", "Sfu.Service", "bin", "Release", "net10.0", "Sfu.Service.dll");
        if (!File.Exists(dll))
        {
            say("building src/Sfu.Service (Release)...");
            await RunAsync("dotnet", ["build", "-c", "Release", "-v", "q", Path.Combine(root, "src", "Sfu.Service")], ct);
        }
        var http = FreePort(SocketType.Stream, ProtocolType.Tcp);
        var udp = FreePort(SocketType.Dgram, ProtocolType.Udp);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var a in new[]
                 {
                     dll, "--config", Path.Combine(root, "config"), "--urls", $"http://127.0.0.1:{http}",
                     "--set", $"webrtc.udp_port={udp}", "--set", "webrtc.announced_ip=127.0.0.1",
                     "--set", "webrtc.listen_ip=127.0.0.1",
                     "--set", "rooms.max_rooms=100000", "--set", "security.rate_limit.enabled=false",
                     "--set", "logging.level=Warning",
                 })
            info.ArgumentList.Add(a);
        foreach (var s in settings)
        {
            info.ArgumentList.Add("--set");
            info.ArgumentList.Add(s);
        }
        var logPath = Path.Combine(Path.GetTempPath(), $"sfu-loadgen-server-{http}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{http}/"), udp, logPath, log);
        try
        {
            await server.WaitHealthyAsync(TimeSpan.FromSeconds(60), ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        say($"server pid {process.Id} on {server.BaseUri} (udp {udp}), log {logPath}");
        return server;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"server exited with {_process.ExitCode}; see {LogPath}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "health"), ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"server not healthy within {timeout.TotalSeconds} s; see {LogPath}");
    }

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var s = new Socket(AddressFamily.InterNetwork, type, protocol);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    internal static string FindRepository()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Sfu.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("run from inside the Sfu repository (no Sfu.sln above the current directory)");
    }

    internal static async Task RunAsync(string file, string[] args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed with {p.ExitCode}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM lets the host stop gracefully; kill only if it does not.
            Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }
}
