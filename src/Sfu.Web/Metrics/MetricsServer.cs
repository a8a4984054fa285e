using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Sfu.Web.Metrics;

/// <summary>Where the metrics listener binds; port 0 means no listener.</summary>
public sealed record MetricsEndpointOptions(string Host, int Port);

/// <summary>
/// <c>GET /metrics</c> on a Kestrel listener of its own, apart from signaling, so the scrape port can stay inside
/// the cluster network. A port that cannot be bound is logged as an error and the node runs on without metrics:
/// losing observability must not take media down.
/// </summary>
public sealed class MetricsServer(MetricsEndpointOptions options, SfuMetrics metrics, ILogger<MetricsServer> log) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The addresses the listener is bound to; empty when it is off or failed to bind.</summary>
    public IReadOnlyList<string> Urls { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Port <= 0)
        {
            log.LogInformation("metrics: listener off (metrics.port = 0)");
            return;
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        var app = builder.Build();
        app.MapMetrics("/metrics", metrics.Registry);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            log.LogError("metrics: cannot listen on {Host}:{Port} ({Reason}); running without /metrics", options.Host, options.Port, e.Message);
            await app.DisposeAsync();
            return;
        }
        _app = app;
        Urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        log.LogInformation("metrics: GET /metrics on {Urls}", string.Join(", ", Urls));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _app = null;
    }
}
