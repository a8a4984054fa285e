using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sfu.Web.Api;

/// <summary>
/// Reads a JSON request body under a size limit. The limit is set on the request itself (Kestrel then refuses
/// the body, by Content-Length or while streaming) and the refusal is mapped to 413; bad JSON maps to 400.
/// </summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { MaxDepth = 16 };

    public readonly record struct Result<T>(T? Value, IResult? Error);

    public static async Task<Result<T>> ReadAsync<T>(HttpContext context, long maxBytes) where T : class
    {
        var sizeLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false }) sizeLimit.MaxRequestBodySize = maxBytes;
        if (context.Request.ContentLength > maxBytes) return TooLarge<T>(maxBytes);
        if (context.Request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
            return new(null, ApiError.Result(StatusCodes.Status415UnsupportedMediaType, ApiErrorCodes.UnsupportedMediaType, "send application/json"));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Options, context.RequestAborted);
            return value is null
                ? new(null, ApiError.Result(StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidJson, "the body must be a JSON object"))
                : new(value, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge<T>(maxBytes);
        }
        catch (JsonException e)
        {
            return new(null, ApiError.Result(StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidJson, $"not valid JSON for this request: {e.Message}"));
        }
    }

    private static Result<T> TooLarge<T>(long maxBytes) where T : class =>
        new(default, ApiError.Result(StatusCodes.Status413PayloadTooLarge, ApiErrorCodes.PayloadTooLarge, $"request bodies are limited to {maxBytes} bytes"));
}
