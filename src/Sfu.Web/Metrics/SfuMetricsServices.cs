using Microsoft.Extensions.DependencyInjection;

namespace Sfu.Web.Metrics;

public static class SfuMetricsServices
{
    /// <summary>The node's metrics (<see cref="SfuMetrics"/>) and their scrape listener on <paramref name="endpoint"/>.</summary>
    public static IServiceCollection AddSfuMetrics(this IServiceCollection services, MetricsEndpointOptions endpoint)
    {
        services.AddSingleton(endpoint);
        services.AddSingleton<RoomStatsSource>();
        services.AddSingleton<SfuMetrics>();
        services.AddSingleton<MetricsServer>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsServer>());
        return services;
    }
}
