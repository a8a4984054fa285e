using Sfu.Web.Security;

namespace Sfu.Service.Tests.Api;

/// <summary>A server with require_auth, a jwt_secret and an admin_token; rate limits off.</summary>
public sealed class AuthServerFixture : IAsyncLifetime
{
    public ApiServer Server { get; private set; } = null!;

    /// <summary>Signs with the server's secret on the real clock.</summary>
    public TokenService Tokens { get; } = TokenServiceWith(ApiServer.JwtSecret, TimeProvider.System);

    public static TokenService TokenServiceWith(string secret, TimeProvider time) => new(new SecurityOptions { JwtSecret = secret }, time);

    public string Token(string room, params string[] permissions) => Tokens.Issue(room, "", permissions, TimeSpan.FromMinutes(5));

    public async Task InitializeAsync() => Server = await ApiServer.StartAsync(
        "security.require_auth=true", $"security.jwt_secret={ApiServer.JwtSecret}", $"security.admin_token={ApiServer.AdminToken}",
        "security.rate_limit.enabled=false");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
