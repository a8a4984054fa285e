using Microsoft.AspNetCore.Http;
using Sfu.Actors;
using Sfu.Web.Security;

namespace Sfu.Web.Api;

/// <summary>POST /api/tokens: issues a signed access token (the caller needs the admin permission when auth is on).</summary>
public static class TokenEndpoints
{
    public static async Task<IResult> Issue(HttpContext http, TokenService tokens, ApiOptions options, TimeProvider time)
    {
        var body = await JsonBody.ReadAsync<TokenRequest>(http, options.MaxBodyBytes);
        if (body.Error is not null) return body.Error;
        var request = body.Value!;
        if (request.Room is null || !(request.Room == AccessToken.AnyRoom || Ids.IsValidRoomId(request.Room)))
            return Invalid("\"room\" must be a room id or \"*\"");
        var name = request.Name?.Trim() ?? "";
        if (name.Length > options.MaxNameLength) return Invalid($"\"name\" is longer than {options.MaxNameLength} characters");
        var permissions = request.Permissions ?? [Permissions.Publish, Permissions.Subscribe];
        var unknown = permissions.Where(p => p is null || !Permissions.IsKnown(p)).ToList();
        if (unknown.Count > 0) return Invalid($"unknown permission \"{unknown[0]}\"; use {string.Join(", ", Permissions.All)}");
        var ttl = request.TtlSeconds is { } s ? TimeSpan.FromSeconds(s) : options.DefaultTokenLifetime;
        if (ttl <= TimeSpan.Zero || ttl > options.MaxTokenLifetime)
            return Invalid($"\"ttlSeconds\" must be 1-{options.MaxTokenLifetime.TotalSeconds:0}");
        // A room-scoped admin may only hand out tokens for its own room.
        if (RequireToken.RefuseRoom(http, request.Room) is { } refused) return refused;
        if (!tokens.Enabled)
            return ApiError.Result(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.TokensDisabled, "security.jwt_secret is not set, so no token can be issued");

        var distinct = permissions.Distinct(StringComparer.Ordinal).ToList();
        var token = tokens.Issue(request.Room, name, distinct, ttl);
        return Results.Ok(new TokenResponse(token, request.Room, name, distinct, time.GetUtcNow() + ttl));
    }

    private static IResult Invalid(string message) => ApiError.Result(StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidRequest, message);
}
