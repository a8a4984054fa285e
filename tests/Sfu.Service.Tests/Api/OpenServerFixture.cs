namespace Sfu.Service.Tests.Api;

/// <summary>A server with auth off (no jwt_secret), rate limits off and rooms.max_participants 60.</summary>
public sealed class OpenServerFixture : IAsyncLifetime
{
    public ApiServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ApiServer.StartAsync(
        "security.rate_limit.enabled=false", "rooms.max_participants=60", "rooms.max_rooms=1000");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
