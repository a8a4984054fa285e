using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests.Simulcast;

/// <summary>
/// Chromium publishing three simulcast layers from its fake camera at 1280x720 (320x180 / 640x360 / 1280x720) and
/// a subscriber choosing among them with update-quality.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class SimulcastTests(SfuServerFixture server, ChromiumFixture chromium, ITestOutputHelper output)
    : E2ETestBase(server, chromium, output)
{
    private static readonly string[] Rids = ["low", "medium", "high"];

    [Fact]
    public async Task Subscriber_switches_between_low_and_high_layers_without_freezing()
    {
        var room = NewRoom("simulcast");
        var a = await JoinPageAsync(room, "A", "&simulcast=1");
        var b = await JoinPageAsync(room, "B", "&simulcast=0");
        var aId = await a.ParticipantIdAsync();

        var published = await Poll.UntilAsync(a.StatsAsync,
            s => Rids.All(rid => s.Outbound.Any(o => o.Kind == "video" && o.Rid == rid && o.PacketsSent > 0)),
            MediaTimeout, "A sends all three rids");
        // The 3 s below are the SFU's switch, so the publisher must be sending its high layer by then: with
        // transport-cc feedback Chromium's own estimate starts low and ramps up (its choice, not ours), and until it
        // has, the high layer is not there to switch to.
        published = await Poll.UntilAsync(a.StatsAsync,
            s => s.Outbound.Any(o => o.Kind == "video" && o.Rid == "high" && o.FrameWidth >= 1280),
            MediaTimeout, "A sends its high layer at 1280 px");
        Log.Write("test", $"A outbound: {JsonSerializer.Serialize(published.Outbound.Where(o => o.Kind == "video"))}");
        await b.WaitForVideoFromAsync(aId, 10, MediaTimeout);

        await b.Page.EvaluateAsync("() => window.sfu.setQuality('low')");
        var low = await Poll.UntilAsync(b.StatsAsync,
            s => s.InboundFrom(aId, "video").Any(v => v.FrameWidth is > 0 and <= 320),
            TimeSpan.FromSeconds(10), "B decodes A at the low layer (<= 320 px wide)");
        var lowVideo = low.InboundFrom(aId, "video").Single();
        // Still decoding at the low layer: frames keep coming after the switch.
        var moving = await Poll.UntilAsync(b.StatsAsync,
            s => s.InboundFrom(aId, "video").Any(v => v.FramesDecoded > lowVideo.FramesDecoded + 10 && v.FrameWidth <= 320),
            TimeSpan.FromSeconds(10), "B keeps decoding the low layer");
        var freezesBefore = moving.InboundFrom(aId, "video").Single().FreezeCount;
        Log.Write("test", $"B at low: {JsonSerializer.Serialize(moving.InboundFrom(aId, "video"))}");

        // REST room stats say the same per subscriber and track: B gets A's video at the low layer, and B's subscriber
        // connection carries a bandwidth estimate.
        var bId = await b.ParticipantIdAsync();
        using (var http = new HttpClient { BaseAddress = Server.BaseUri, Timeout = TimeSpan.FromSeconds(10) })
        {
            var stats = await http.GetFromJsonAsync<JsonElement>($"api/rooms/{room}/stats");
            var bStats = stats.GetProperty("participants").EnumerateArray().Single(p => p.GetProperty("participantId").GetString() == bId);
            var track = bStats.GetProperty("subscribed").EnumerateArray()
                .Single(t => t.GetProperty("kind").GetString() == "video" && t.GetProperty("fromParticipantId").GetString() == aId);
            Log.Write("test", $"REST: B's video from A {track}, B's subscriber transport {bStats.GetProperty("subscriberTransport")}");
            Assert.Equal("low", track.GetProperty("layer").GetString());
            Assert.True(bStats.GetProperty("subscriberTransport").GetProperty("bandwidthEstimateBps").GetInt64() > 0);
        }

        var clock = Stopwatch.StartNew();
        await b.Page.EvaluateAsync("() => window.sfu.setQuality('high')");
        var high = await Poll.UntilAsync(b.StatsAsync,
            s => s.InboundFrom(aId, "video").Any(v => v.FrameWidth >= 1280),
            TimeSpan.FromSeconds(3), "B decodes A at the high layer (>= 1280 px wide) within 3 s");
        Log.Write("test", $"B at high after {clock.ElapsedMilliseconds} ms: {JsonSerializer.Serialize(high.InboundFrom(aId, "video"))}");
        // The switch itself did not freeze: the first high frame was rendered without a gap (Chromium counts a
        // freeze when that frame arrives late, so it would show in this sample).
        Assert.Equal(freezesBefore, high.InboundFrom(aId, "video").Single().FreezeCount);
        var after = await Poll.UntilAsync(b.StatsAsync,
            s => s.InboundFrom(aId, "video").Any(v => v.FramesDecoded > high.InboundFrom(aId, "video").Single().FramesDecoded + 20),
            TimeSpan.FromSeconds(10), "B keeps decoding the high layer");
        // No freeze from the low layer to the end, not only at the switch. About one run in six used to show one a moment
        // after the switch, with a burst of keyframes: every subscriber PLI asked all three layers for one (and layers
        // shared one throttle); PLIs now ask only the layer the subscriber gets, each layer throttled on its own.
        var publisherNow = await a.StatsAsync();
        Log.Write("test", $"B after: {JsonSerializer.Serialize(after.InboundFrom(aId, "video"))}; A: " +
                          JsonSerializer.Serialize(publisherNow.Outbound.Where(o => o.Kind == "video").Select(o => new { o.Rid, o.FrameWidth, o.FramesEncoded, o.QualityLimitationReason })));
        var video = after.InboundFrom(aId, "video").Single();
        Assert.True(video.FrameWidth >= 1280);
        Assert.True(video.FreezeCount == freezesBefore,
            $"freezes {freezesBefore} -> {video.FreezeCount}, keyframes decoded {lowVideo.KeyFramesDecoded} -> {video.KeyFramesDecoded}");
    }
}
