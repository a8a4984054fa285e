using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace Sfu.Service.Tests.Api;

/// <summary>
/// The whole server in process on free loopback ports (real Kestrel, real cluster), built by
/// <see cref="SfuApplication.Build"/> with the shipped config plus <c>--set</c> overrides.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    public const string JwtSecret = "test-secret-0123456789-abcdefghijklmnop";
    public const string AdminToken = "test-admin-token";

    private readonly WebApplication _app;

    private ApiServer(WebApplication app, int port)
    {
        _app = app;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        Http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUri { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    public Uri WebSocketUri(string? token = null) =>
        new($"ws://127.0.0.1:{BaseUri.Port}/ws" + (token is null ? "" : "?token=" + Uri.EscapeDataString(token)));

    public static async Task<ApiServer> StartAsync(params string[] overrides)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort();
            var args = new List<string>
            {
                "--urls", $"http://127.0.0.1:{port}",
                "--set", $"webrtc.udp_port={FreeUdpPort()}",
                "--set", "webrtc.announced_ip=127.0.0.1",
                "--set", "logging.level=Warning",
            };
            foreach (var o in overrides) args.AddRange(["--set", o]);
            var app = SfuApplication.Build(args.ToArray());
            try
            {
                await app.StartAsync();
                return new ApiServer(app, port);
            }
            catch (Exception e) when (attempt < 3 && e is IOException or SocketException)
            {
                // The probed port was taken between release and bind; try fresh ones.
                await app.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    public HttpRequestMessage Request(HttpMethod method, string path, object? json = null, string? token = null, string header = "X-Auth-Token")
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = JsonContent.Create(json);
        if (token is not null) request.Headers.Add(header, token);
        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? json = null, string? token = null) =>
        Http.SendAsync(Request(method, path, json, token));

    public Task<HttpResponseMessage> PostRawAsync(string path, string body, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Add("X-Auth-Token", token);
        return Http.SendAsync(request);
    }

    private static int FreeTcpPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

/// <summary>Reads API answers in tests.</summary>
public static class ApiResponses
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status and the error shape, and returns the error code.</summary>
    public static async Task<string> ErrorAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        return error.GetProperty("code").GetString()!;
    }
}
