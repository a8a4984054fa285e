using System.Diagnostics;
using System.Net;

namespace Sfu.LoadGen;

/// <summary>Runs bench/Sfu.Relay as a child process (building it in Release when missing) and reads its port from stdout.</summary>
internal sealed class RelayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RelayProcess(Process process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }
    public int Pid => _process.Id;

    public static async Task<RelayProcess> StartAsync(bool srtp, Action<string> say, CancellationToken ct)
    {
        var root = ServerProcess.FindRepository();
        var dll = Path.Combine(root, "bench", "Sfu.Relay", "bin", "Release", "net10.0", "Sfu.Relay.dll");
        if (!File.Exists(dll))
        {
            say("building bench/Sfu.Relay (Release)...");
            await ServerProcess.RunAsync("dotnet", ["build", "-c", "Release", "-v", "q", Path.Combine(root, "bench", "Sfu.Relay")], ct);
        }
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--mode", srtp ? "srtp" : "udp" }) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("relay exited before listening");
        // "listening 127.0.0.1:PORT mode udp"
        var endPoint = IPEndPoint.Parse(line.Split(' ')[1]);
        say($"relay pid {process.Id} on {endPoint} ({(srtp ? "srtp" : "udp")})");
        return new RelayProcess(process, endPoint);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
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
    }
}
