using Xunit.Abstractions;

namespace Sfu.E2E.Tests;

/// <summary>Owns what a test opens (pages, peer processes) and closes it after the test, then
/// stops forwarding their output.</summary>
public abstract class E2ETestBase(SfuServerFixture server, ChromiumFixture chromium, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected SfuServerFixture Server { get; } = server;
    protected ChromiumFixture Chromium { get; } = chromium;
    protected TestLog Log { get; } = new(output);

    protected static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(30);

    protected static string NewRoom(string test) => $"{test}-{Guid.NewGuid():N}"[..Math.Min(test.Length + 9, 64)];

    protected async Task<SfuPage> JoinPageAsync(string room, string name, string extraQuery = "")
    {
        var page = await SfuPage.JoinAsync(Chromium, Server, room, name, Log, extraQuery);
        _owned.Add(page);
        return page;
    }

    protected AiortcPeer StartAiortc(string room, string name, params string[] options)
    {
        var peer = AiortcPeer.Start(Server, room, name, Log, options);
        _owned.Add(peer);
        return peer;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
        Log.Close();
    }
}
