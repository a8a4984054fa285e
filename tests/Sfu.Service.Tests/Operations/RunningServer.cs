using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Sfu.Service.Tests.Configuration;

namespace Sfu.Service.Tests.Operations;

/// <summary>The real server (SfuApplication) in the test process on free loopback ports, with extra --set overrides.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(WebApplication app, int httpPort, int metricsPort, int udpPort, int tlsPort)
    {
        App = app;
        HttpPort = httpPort;
        MetricsPort = metricsPort;
        UdpPort = udpPort;
        TlsPort = tlsPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public WebApplication App { get; }
    public int HttpPort { get; }
    public int MetricsPort { get; }
    public int UdpPort { get; }
    public int TlsPort { get; }
    public HttpClient Http { get; }
    public Uri SignalingUri => new($"ws://127.0.0.1:{HttpPort}/ws");
    public bool Stopped { get; private set; }

    /// <param name="settings">Extra <c>--set</c> values, e.g. <c>rooms.idle_timeout=1</c>.</param>
    public static async Task<RunningServer> StartAsync(IEnumerable<string>? settings = null, IEnumerable<string>? flags = null, int? metricsPort = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var http = FreeTcpPort();
            var metrics = metricsPort ?? FreeTcpPort();
            var tls = FreeTcpPort();
            var udp = FreeUdpPort();
            var args = new List<string>
            {
                "--config", RepositoryFiles.ConfigDirectory,
                "--urls", $"http://127.0.0.1:{http}",
                "--set", "server.host=127.0.0.1",
                "--set", $"server.tls.port={tls}",
                "--set", $"metrics.port={metrics}",
                "--set", $"webrtc.udp_port={udp}",
                "--set", "webrtc.announced_ip=127.0.0.1",
                "--set", "logging.level=Warning",
            };
            foreach (var s in settings ?? []) args.AddRange(["--set", s]);
            args.AddRange(flags ?? []);
            WebApplication? app = null;
            try
            {
                app = SfuApplication.Build(args.ToArray());
                await app.StartAsync();
                return new RunningServer(app, http, metrics, udp, tls);
            }
            catch (Exception e) when (attempt < 3 && IsAddressInUse(e))
            {
                // A probed port was taken between the probe and the bind.
                if (app is not null) await app.DisposeAsync();
            }
        }
    }

    public async Task StopAsync()
    {
        if (Stopped) return;
        Stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await App.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await App.DisposeAsync();
        Http.Dispose();
    }

    public static int FreeTcpPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static bool IsAddressInUse(Exception? e) => e switch
    {
        null => false,
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        Microsoft.AspNetCore.Connections.AddressInUseException => true,
        AggregateException a => a.InnerExceptions.Any(IsAddressInUse),
        _ => IsAddressInUse(e.InnerException),
    };
}
