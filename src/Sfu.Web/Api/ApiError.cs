using Microsoft.AspNetCore.Http;

namespace Sfu.Web.Api;

/// <summary>Every REST error: <c>{"error":{"code":"room-not-found","message":"…"}}</c>.</summary>
public sealed record ApiError(ApiErrorDetail Error)
{
    public static IResult Result(int status, string code, string message) =>
        Results.Json(new ApiError(new ApiErrorDetail(code, message)), statusCode: status);

    public static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiError(new ApiErrorDetail(code, message)));
    }
}

public sealed record ApiErrorDetail(string Code, string Message);

/// <summary>The <c>code</c> values the REST API uses (docs/rest-api.md).</summary>
public static class ApiErrorCodes
{
    public const string InvalidJson = "invalid-json";
    public const string InvalidRequest = "invalid-request";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not-found";
    public const string MethodNotAllowed = "method-not-allowed";
    public const string RoomNotFound = "room-not-found";
    public const string RoomExists = "room-exists";
    public const string ServerFull = "server-full";
    public const string PayloadTooLarge = "payload-too-large";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string RateLimited = "rate-limited";
    public const string Unavailable = "unavailable";
    public const string TokensDisabled = "tokens-disabled";
}
