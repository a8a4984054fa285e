using System.Diagnostics;

namespace Sfu.E2E.Tests.Robustness;

/// <summary>tcpdump writing a classic pcap of one UDP port on loopback, started and stopped by a test.</summary>
public sealed class PacketCapture : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TestLog _log;

    private PacketCapture(Process process, string path, TestLog log)
    {
        _process = process;
        Path = path;
        _log = log;
    }

    public string Path { get; }

    /// <summary>Starts capturing and returns once tcpdump says it is listening, so nothing sent after this is missed.</summary>
    public static async Task<PacketCapture> StartAsync(int udpPort, TestLog log)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sfu-media-{Guid.NewGuid():N}.pcap");
        // -U writes each packet as it comes, -s 0 keeps whole datagrams, -n skips name lookups,
        // -Z root keeps tcpdump from dropping to a user that may not write the temp folder.
        var start = new ProcessStartInfo(InProcessServerFactAttribute.Tcpdump)
        {
            ArgumentList = { "-i", "lo", "-n", "-U", "-s", "0", "-Z", "root", "-w", path, "udp", "port", udpPort.ToString() },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var capture = new PacketCapture(process, path, log);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            log.Write("tcpdump", e.Data);
            if (e.Data.Contains("listening on", StringComparison.Ordinal)) capture._listening.TrySetResult();
        };
        process.Exited += (_, _) => capture._listening.TrySetException(new InvalidOperationException($"tcpdump exited with {process.ExitCode} before listening"));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await capture._listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return capture;
    }

    /// <summary>Stops tcpdump with SIGINT (it then flushes and closes the file) and returns the capture.</summary>
    public async Task<byte[]> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", _process.Id.ToString()]) { UseShellExecute = false })!;
            await kill.WaitForExitAsync();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        return await File.ReadAllBytesAsync(Path);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (IOException e)
        {
            _log.Write("tcpdump", $"could not delete {Path}: {e.Message}");
        }
    }
}
