using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Sfu.Web.Security;

namespace Sfu.Web.Api;

/// <summary>
/// <c>security.rate_limit</c> on the REST API, per client address: <c>requests_per_minute</c> over every /api path
/// (the global limiter) and <c>max_rooms_per_ip</c> room creations per window on POST /api/rooms (a named policy).
/// Refusals are 429 with Retry-After and a JSON error.
/// </summary>
public static class ApiRateLimits
{
    public const string CreateRoomPolicy = "create-room";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = OnRejected;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                limits.Enabled && http.Request.Path.StartsWithSegments("/api")
                    ? RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Of(http), _ => Window(limits.RequestsPerMinute, TimeSpan.FromMinutes(1)))
                    : RateLimitPartition.GetNoLimiter(""));
            o.AddPolicy(CreateRoomPolicy, http => limits.Enabled
                ? RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Of(http), _ => Window(limits.MaxRoomsPerIp, limits.RoomCreationWindow))
                : RateLimitPartition.GetNoLimiter(""));
        });
        return services;
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask OnRejected(OnRejectedContext context, CancellationToken ct)
    {
        var response = context.HttpContext.Response;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ApiError.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, ApiErrorCodes.RateLimited,
            $"too many requests from this address; retry in {seconds} s");
    }
}
