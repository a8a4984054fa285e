using System.Text.Json;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests.Simulcast;

/// <summary>Screen share from the page (getDisplayMedia with Chromium's fake capture) as a second video track.</summary>
[Collection(E2ECollection.Name)]
public sealed class ScreenShareTests(SfuServerFixture server, ChromiumFixture chromium, ITestOutputHelper output)
    : E2ETestBase(server, chromium, output)
{
    [Fact]
    public async Task Shared_screen_is_published_as_source_screen_and_decoded_by_the_other_page()
    {
        var room = NewRoom("screen");
        var a = await JoinPageAsync(room, "A");
        var b = await JoinPageAsync(room, "B");
        var aId = await a.ParticipantIdAsync();
        await b.WaitForVideoFromAsync(aId, 5, MediaTimeout);

        await a.Page.EvaluateAsync("() => window.sfu.startScreenShare()");
        var shared = await Poll.UntilAsync(b.StateAsync,
            s => s.RemoteParticipants.TryGetValue(aId, out var p) && p.Tracks.Any(t => t.Kind == "video" && t.Source == "screen"),
            MediaTimeout, "B hears of A's screen track");
        var screenTrack = shared.RemoteParticipants[aId].Tracks.Single(t => t.Source == "screen");
        Assert.Single(shared.RemoteParticipants[aId].Tracks, t => t.Kind == "video" && t.Source == "camera");

        var both = await Poll.UntilAsync(b.StatsAsync,
            s => s.InboundFrom(aId, "video").Count(v => v.FramesDecoded > 5) >= 2,
            MediaTimeout, "B decodes A's camera and screen");
        Log.Write("test", $"B video from A: {JsonSerializer.Serialize(both.InboundFrom(aId, "video"))}");

        await a.Page.EvaluateAsync("() => window.sfu.stopScreenShare()");
        await Poll.UntilAsync(b.StateAsync,
            s => s.RemoteParticipants.TryGetValue(aId, out var p) && p.Tracks.All(t => t.TrackId != screenTrack.TrackId),
            MediaTimeout, "B hears that A's screen track is gone");
        var after = await a.StateAsync();
        Assert.Null(after.LastError);
    }
}
