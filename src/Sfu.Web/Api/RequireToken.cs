using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sfu.Web.Security;

namespace Sfu.Web.Api;

/// <summary>
/// Endpoint filter: with <c>security.require_auth</c> the request needs a valid token (401 otherwise) holding
/// <paramref name="permission"/> when one is named (403 otherwise). The token is left in
/// <see cref="HttpContext.Items"/> for handlers that also check its room.
/// </summary>
public sealed class RequireToken(string? permission) : IEndpointFilter
{
    private static readonly object Key = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var auth = http.RequestServices.GetRequiredService<RequestAuthenticator>();
        if (!auth.RequireAuth) return await next(context);
        if (!auth.TryAuthenticate(auth.TokenOf(http.Request), out var token, out var failure))
            return ApiError.Result(StatusCodes.Status401Unauthorized, ApiErrorCodes.Unauthorized, failure);
        if (permission is not null && !token!.Allows(permission))
            return ApiError.Result(StatusCodes.Status403Forbidden, ApiErrorCodes.Forbidden, $"the token lacks the {permission} permission");
        http.Items[Key] = token;
        return await next(context);
    }

    /// <summary>Null when auth is off or the request's token covers <paramref name="roomId"/>, else a 403.</summary>
    public static IResult? RefuseRoom(HttpContext http, string roomId) =>
        http.Items.TryGetValue(Key, out var t) && t is AccessToken token && !token.CoversRoom(roomId)
            ? ApiError.Result(StatusCodes.Status403Forbidden, ApiErrorCodes.Forbidden, $"the token is for room {token.Room}, not {roomId}")
            : null;
}
