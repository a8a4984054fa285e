using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sfu.Web.Signaling;

namespace Sfu.Web;

public static class SfuWebEndpoints
{
    public static IServiceCollection AddSfuWeb(this IServiceCollection services, SignalingLimits limits)
    {
        services.AddSingleton(limits);
        services.AddSingleton<SignalingGate>();
        services.AddSingleton<SignalingEndpoint>();
        return services;
    }

    /// <summary>The signaling WebSocket at /ws and the browser page at /.</summary>
    public static WebApplication MapSfuWeb(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.Map("/ws", (HttpContext ctx, SignalingEndpoint endpoint) => endpoint.HandleAsync(ctx));
        app.MapGet("/", ctx => StaticAssets.ServeAsync(ctx, "index.html"));
        app.MapGet("/{file}", (HttpContext ctx, string file) => StaticAssets.ServeAsync(ctx, file));
        return app;
    }
}
