using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Sfu.Web;

/// <summary>
/// Serves the browser client from resources embedded in this assembly, so the server binary needs no wwwroot
/// folder beside it (one file to deploy, nothing to lose in a container image).
/// </summary>
public static class StaticAssets
{
    private static readonly Assembly Assembly = typeof(StaticAssets).Assembly;
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".ico"] = "image/x-icon",
        [".json"] = "application/json",
    };

    public static async Task ServeAsync(HttpContext context, string file)
    {
        if (file.Contains("..") || file.Contains('/') || file.Contains('\\'))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await using var stream = Assembly.GetManifestResourceStream($"Sfu.Web.wwwroot.{file}");
        if (stream is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream");
        context.Response.Headers.CacheControl = "no-cache";
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
