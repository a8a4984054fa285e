using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;
using Sfu.Actors.Rooms;
using Sfu.Web.Security;
using Sfu.Web.Signaling;

namespace Sfu.Web.Api;

/// <summary>The REST API under /api (docs/rest-api.md): rooms, tokens, the OpenAPI document, auth and rate limits.</summary>
public static class SfuApiEndpoints
{
    public const string OpenApiPath = "/api/openapi.json";

    /// <summary>Call after <see cref="SfuWebEndpoints.AddSfuWeb"/>: it replaces the open signaling gate with the secured one.</summary>
    public static IServiceCollection AddSfuApi(this IServiceCollection services, ApiOptions api, SecurityOptions security)
    {
        services.AddSingleton(api);
        services.AddSingleton(security);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenService>();
        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<BitrateSampler>();
        services.AddSingleton<RoomEndpoints.CreationLock>();
        services.Replace(ServiceDescriptor.Singleton<SignalingGate, SecureSignalingGate>());
        services.AddApiRateLimits(security.RateLimit);
        services.AddOpenApi(o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Sfu REST API";
                document.Info.Description = $"Rooms and access tokens. With security.require_auth, send a token in the {security.AuthTokenHeader} header.";
                if (security.RequireAuth) DescribeAuth(document, security.AuthTokenHeader);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapSfuApi(this WebApplication app)
    {
        app.UseStatusCodePages(ApiStatusPages);
        app.UseRateLimiter();
        app.MapOpenApi(OpenApiPath);

        var api = app.MapGroup("/api");
        var rooms = api.MapGroup("/rooms").WithTags("rooms");
        rooms.MapPost("", RoomEndpoints.Create)
            .WithName("CreateRoom").WithSummary("Create a room")
            .WithDescription("Answers 201 with the room and a Location header; 409 room-exists if the id is taken; 503 server-full at rooms.max_rooms.")
            .Accepts<CreateRoomRequest>("application/json")
            .Produces<RoomResponse>(StatusCodes.Status201Created)
            .Produces<ApiError>(StatusCodes.Status400BadRequest).Produces<ApiError>(StatusCodes.Status409Conflict)
            .Produces<ApiError>(StatusCodes.Status413PayloadTooLarge).Produces<ApiError>(StatusCodes.Status503ServiceUnavailable)
            .AddEndpointFilter(new RequireToken(Permissions.Admin)).WithAuthErrors()
            .RequireRateLimiting(ApiRateLimits.CreateRoomPolicy);
        rooms.MapGet("", RoomEndpoints.List)
            .WithName("ListRooms").WithSummary("List the rooms on this node")
            .Produces<List<RoomResponse>>()
            .AddEndpointFilter(new RequireToken(null)).WithAuthErrors();
        rooms.MapGet("/{id}", RoomEndpoints.Get)
            .WithName("GetRoom").WithSummary("A room with its participants and their tracks")
            .Produces<RoomResponse>().Produces<ApiError>(StatusCodes.Status404NotFound)
            .AddEndpointFilter(new RequireToken(null)).WithAuthErrors();
        rooms.MapDelete("/{id}", RoomEndpoints.Delete)
            .WithName("CloseRoom").WithSummary("Close a room: participants are told room-closed, then disconnected")
            .Produces(StatusCodes.Status204NoContent).Produces<ApiError>(StatusCodes.Status404NotFound)
            .AddEndpointFilter(new RequireToken(Permissions.Admin)).WithAuthErrors();
        rooms.MapGet("/{id}/stats", RoomEndpoints.Stats)
            .WithName("GetRoomStats").WithSummary("Media statistics per participant and track")
            .WithDescription("Codec, packets, bytes, bitrate (since the previous stats request), loss, jitter, RTT, NACKs and PLIs.")
            .Produces<RoomStats>().Produces<ApiError>(StatusCodes.Status404NotFound)
            .AddEndpointFilter(new RequireToken(Permissions.Admin)).WithAuthErrors();
        api.MapPost("/tokens", TokenEndpoints.Issue).WithTags("tokens")
            .WithName("IssueToken").WithSummary("Issue an access token (HS256 JWT)")
            .Accepts<TokenRequest>("application/json")
            .Produces<TokenResponse>().Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status413PayloadTooLarge).Produces<ApiError>(StatusCodes.Status503ServiceUnavailable)
            .AddEndpointFilter(new RequireToken(Permissions.Admin)).WithAuthErrors();
        return app;
    }

    private static void DescribeAuth(OpenApiDocument document, string header)
    {
        const string scheme = "token";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = header,
            Description = "An HS256 JWT from POST /api/tokens, or the admin token.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] }];
    }

    private static RouteHandlerBuilder WithAuthErrors(this RouteHandlerBuilder builder) => builder
        .Produces<ApiError>(StatusCodes.Status401Unauthorized)
        .Produces<ApiError>(StatusCodes.Status403Forbidden)
        .Produces<ApiError>(StatusCodes.Status429TooManyRequests);

    /// <summary>Body-less error statuses under /api (no route, wrong method) get the JSON error shape too.</summary>
    private static Task ApiStatusPages(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (!http.Request.Path.StartsWithSegments("/api")) return Task.CompletedTask;
        var (code, message) = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => (ApiErrorCodes.NotFound, $"no API endpoint at {http.Request.Path}"),
            StatusCodes.Status405MethodNotAllowed => (ApiErrorCodes.MethodNotAllowed, $"{http.Request.Method} is not allowed on {http.Request.Path}"),
            StatusCodes.Status413PayloadTooLarge => (ApiErrorCodes.PayloadTooLarge, "the request body is too large"),
            StatusCodes.Status415UnsupportedMediaType => (ApiErrorCodes.UnsupportedMediaType, "send application/json"),
            var status when status < 500 => (ApiErrorCodes.InvalidRequest, "the request was refused"),
            _ => (ApiErrorCodes.Unavailable, "the server could not answer"),
        };
        return ApiError.WriteAsync(http, http.Response.StatusCode, code, message);
    }
}
