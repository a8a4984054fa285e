using Sfu.Actors.Media;
using Sfu.Actors.Rooms;
using Sfu.Service.Configuration;
using Sfu.Web.Metrics;

namespace Sfu.Service.Hosting;

/// <summary>
/// What an operator runs the node with: metrics on their own port, /health and /ready, graceful shutdown, TLS,
/// memory admission and the performance.* keys. SfuApplication calls these three extension points.
/// </summary>
public static class SfuOperations
{
    /// <summary>Upper bound for the whole stop sequence (drain signaling, stop Kestrel, leave the cluster).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public static WebApplicationBuilder AddSfuOperations(this WebApplicationBuilder builder, SfuConfig config, SfuCommandLine commandLine)
    {
        var services = builder.Services;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        services.AddSfuMetrics(new MetricsEndpointOptions(HostFor(config.Server.Host), config.Metrics.Port));
        services.AddSingleton<Readiness>();
        services.AddSingleton<IMemoryProbe, ProcessMemoryProbe>();
        services.AddSingleton(sp => new MemoryAdmission(config.Performance, sp.GetRequiredService<IMemoryProbe>(),
            sp.GetRequiredService<RoomDirectory>(), sp.GetRequiredService<SfuMetrics>().JoinRefused));
        services.AddSingleton(config.Performance);
        services.AddHostedService<PeriodicGarbageCollection>();
        // Registered before Akka and Kestrel stop: StoppingAsync runs ahead of every service's StopAsync.
        services.AddSingleton<GracefulShutdown>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<GracefulShutdown>());

        if (SfuTls.LoadCertificate(config.Server.Tls, commandLine.DevCertificate, TimeProvider.System) is { } certificate)
        {
            SfuTls.Configure(builder, config, certificate);
            services.AddSingleton(new TlsListener(config.Server.Tls.Port, certificate, config.Server.Tls.Enabled ? config.Server.Tls.Cert : "--dev-cert"));
        }
        return builder;
    }

    /// <summary>Room settings with the node's join admission (memory limits) attached.</summary>
    public static RoomSettings WithAdmission(this RoomSettings rooms, IServiceProvider services)
    {
        var admission = services.GetRequiredService<MemoryAdmission>();
        return admission.Enabled ? rooms with { Admission = admission.Check } : rooms;
    }

    /// <summary>The observers the media node reports forwarding latency and graph restarts to.</summary>
    public static MediaObservers MediaObservers(this IServiceProvider services) => services.GetRequiredService<SfuMetrics>().Observers;

    public static WebApplication MapSfuOperations(this WebApplication app)
    {
        var config = app.Services.GetRequiredService<SfuConfig>();
        foreach (var (level, message) in PerformanceNotes.For(config.Performance)) app.Logger.Log(level, "{Note}", message);
        if (app.Services.GetService<TlsListener>() is { } tls)
            app.Logger.LogInformation("tls: https/wss on port {Port} with {Source} (subject {Subject}, expires {Expires:u})",
                tls.Port, tls.Source, tls.Certificate.Subject, tls.Certificate.NotAfter.ToUniversalTime());
        app.MapSfuHealth();
        return app;
    }

    internal static string HostFor(string host) => host is "0.0.0.0" or "*" or "" ? "0.0.0.0" : host;
}

/// <summary>The HTTPS listener when one is configured: its port and certificate (and where that came from).</summary>
public sealed record TlsListener(int Port, System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate, string Source);
