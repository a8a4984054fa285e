using System.Text.Json;
using Microsoft.Playwright;

namespace Sfu.E2E.Tests;

/// <summary>One participant in Chromium: the page at <c>/</c> in its own browser context,
/// read through the <c>window.sfu</c> test hooks.</summary>
public sealed class SfuPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private SfuPage(IBrowserContext context, IPage page, string label)
    {
        _context = context;
        Page = page;
        Label = label;
    }

    public IPage Page { get; }
    public string Label { get; }

    /// <summary>Opens <c>/?room=ROOM&amp;autojoin=1&amp;name=NAME</c> and waits until the server said <c>joined</c>.</summary>
    public static async Task<SfuPage> JoinAsync(ChromiumFixture chromium, SfuServerFixture server, string room, string name, TestLog log, string extraQuery = "")
    {
        var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.Console += (_, message) => log.Write(name, $"{message.Type}: {message.Text}");
        page.PageError += (_, error) => log.Write(name, $"page error: {error}");
        var sfuPage = new SfuPage(context, page, name);
        await page.GotoAsync(server.PageUri(room, name) + extraQuery);
        await Poll.UntilAsync(sfuPage.StateAsync, s => s.Joined && s.ParticipantId is not null,
            TimeSpan.FromSeconds(15), $"{name} joined {room}");
        return sfuPage;
    }

    // JSON.stringify in the page: Playwright's own object transfer adds "$id" reference markers
    // that System.Text.Json then refuses.
    public async Task<PageState> StateAsync() =>
        PageJson.Read<PageState>(await Page.EvaluateAsync<string>("() => JSON.stringify(window.sfu.state)"));

    public async Task<PageStats> StatsAsync() =>
        PageJson.Read<PageStats>(await Page.EvaluateAsync<string>("async () => JSON.stringify(await window.sfu.stats())"));

    public async Task<IReadOnlyList<JsonElement>> EventsAsync() =>
        PageJson.Read<List<JsonElement>>(await Page.EvaluateAsync<string>("() => JSON.stringify(window.sfu.events)"));

    public async Task<string> ParticipantIdAsync() =>
        (await StateAsync()).ParticipantId ?? throw new InvalidOperationException($"{Label} has not joined");

    public Task LeaveAsync() => Page.EvaluateAsync("() => window.sfu.leave()");

    /// <summary>Waits until this page decodes more than <paramref name="frames"/> video frames from the participant.</summary>
    public Task<PageStats> WaitForVideoFromAsync(string participantId, long frames, TimeSpan timeout) =>
        Poll.UntilAsync(StatsAsync,
            s => s.InboundFrom(participantId, "video").Any(v => v.FramesDecoded > frames && v.FrameWidth > 0),
            timeout, $"{Label} decodes > {frames} video frames from {participantId}");

    /// <summary>Waits until audio packets from the participant keep arriving: two samples, the second higher.</summary>
    public async Task WaitForRisingAudioFromAsync(string participantId, TimeSpan timeout)
    {
        var first = await Poll.UntilAsync(StatsAsync,
            s => s.InboundFrom(participantId, "audio").Any(a => a.PacketsReceived > 0),
            timeout, $"{Label} receives audio from {participantId}");
        var baseline = first.InboundFrom(participantId, "audio").Max(a => a.PacketsReceived);
        await Poll.UntilAsync(StatsAsync,
            s => s.InboundFrom(participantId, "audio").Any(a => a.PacketsReceived > baseline),
            timeout, $"{Label} audio packets from {participantId} rise above {baseline}");
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
