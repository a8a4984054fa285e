using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Sfu.Service;

namespace Sfu.E2E.Tests;

/// <summary>
/// Runs the whole Sfu server in the test process on free loopback ports, announcing 127.0.0.1
/// as its ICE candidate (Chromium and aiortc only reach the server over loopback here).
/// With SFU_E2E_URL set (e.g. http://127.0.0.1:8080/) the tests use that running server instead.
/// </summary>
public sealed class SfuServerFixture : IAsyncLifetime
{
    private const int StartAttempts = 3;
    private WebApplication? _app;

    public int HttpPort { get; private set; }
    public int UdpPort { get; private set; }
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");
    public string SignalingUrl => new UriBuilder(BaseUri) { Scheme = BaseUri.Scheme == "https" ? "wss" : "ws", Path = "/ws" }.Uri.ToString();

    public Uri PageUri(string room, string name) =>
        new(BaseUri, $"?room={Uri.EscapeDataString(room)}&autojoin=1&name={Uri.EscapeDataString(name)}");

    /// <summary>Extra <c>key=value</c> config settings for a server a test starts itself (e.g. webrtc.fec=false).</summary>
    public string[] ExtraSettings { get; init; } = [];

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("SFU_E2E_URL");
        if (!string.IsNullOrEmpty(external))
        {
            BaseUri = new Uri(external);
            return;
        }
        var configDir = FindConfigDirectory();
        for (var attempt = 1; ; attempt++)
        {
            HttpPort = FreePorts.Tcp();
            UdpPort = FreePorts.Udp();
            string[] args =
            [
                "--config", configDir,
                "--urls", $"http://127.0.0.1:{HttpPort}",
                "--set", $"webrtc.udp_port={UdpPort}",
                "--set", "webrtc.announced_ip=127.0.0.1",
                // Metrics off: tests that scrape start a server of their own; the shared one must not need port 9090.
                "--set", "metrics.port=0",
                .. ExtraSettings.SelectMany(setting => new[] { "--set", setting }),
            ];
            WebApplication? app = null;
            try
            {
                app = SfuApplication.Build(args);
                await app.StartAsync();
                BaseUri = new Uri($"http://127.0.0.1:{HttpPort}/");
                _app = app;
                return;
            }
            catch (Exception e) when (attempt < StartAttempts && IsAddressInUse(e))
            {
                // The probed port was taken between FreePorts' release and the server's bind.
                if (app is not null) await app.DisposeAsync();
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is null) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private static bool IsAddressInUse(Exception? e) => e switch
    {
        null => false,
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        Microsoft.AspNetCore.Connections.AddressInUseException => true,
        AggregateException a => a.InnerExceptions.Any(IsAddressInUse),
        _ => IsAddressInUse(e.InnerException),
    };

    /// <summary>The server's config folder: copied next to the test assembly by Sfu.Service's
    /// build, else the repository's config/, else SFU_E2E_CONFIG.</summary>
    private static string FindConfigDirectory()
    {
        var fromEnv = Environment.GetEnvironmentVariable("SFU_E2E_CONFIG");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        var beside = Path.Combine(AppContext.BaseDirectory, "config");
        if (Directory.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sfu.sln")))
                return Path.Combine(dir.FullName, "config");
        }
        throw new DirectoryNotFoundException("No config directory beside the tests or in the repository; set SFU_E2E_CONFIG.");
    }
}
