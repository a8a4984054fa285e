using System.Text.Json;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests;

/// <summary>A second, independent WebRTC stack (aiortc) on the other end of the server, so the
/// server is not only tested against Chromium's quirks.</summary>
[Collection(E2ECollection.Name)]
public sealed class AiortcInteropTests(SfuServerFixture server, ChromiumFixture chromium, ITestOutputHelper output)
    : E2ETestBase(server, chromium, output)
{
    private static readonly TimeSpan PeerStart = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Chromium_decodes_video_published_by_aiortc()
    {
        var room = NewRoom("aiortc-pub");
        var publisher = StartAiortc(room, "py", "--publish", "--duration", "120");
        var joined = await publisher.WaitForEventAsync("joined", PeerStart);
        var publisherId = joined.GetProperty("participantId").GetString()!;

        var page = await JoinPageAsync(room, "viewer");
        var stats = await page.WaitForVideoFromAsync(publisherId, 30, MediaTimeout);
        await page.WaitForRisingAudioFromAsync(publisherId, MediaTimeout);

        var video = stats.InboundFrom(publisherId, "video").First(v => v.FramesDecoded > 30);
        Assert.Equal((640, 480), (video.FrameWidth, video.FrameHeight));

        var final = await publisher.StopAsync(TimeSpan.FromSeconds(15));
        Assert.Contains(final.GetProperty("sent").EnumerateArray(),
            s => s.GetProperty("kind").GetString() == "video" && s.GetProperty("packetsSent").GetInt64() > 0);
    }

    [Fact]
    public async Task Aiortc_decodes_video_published_by_chromium()
    {
        var room = NewRoom("aiortc-sub");
        var page = await JoinPageAsync(room, "camera");
        var publisherId = await page.ParticipantIdAsync();
        await Poll.UntilAsync(page.StatsAsync, s => s.Outbound.Any(o => o.Kind == "video" && o.PacketsSent > 0),
            MediaTimeout, "Chromium sends video");

        var subscriber = StartAiortc(room, "py", "--until-video-frames", "31", "--duration", MediaTimeout.TotalSeconds.ToString("0"));
        var final = await subscriber.WaitForEventAsync("stats", MediaTimeout + PeerStart);
        Log.Write("test", $"aiortc stats: {final}");

        var received = final.GetProperty("received").EnumerateArray().ToList();
        var video = received.FirstOrDefault(r => r.GetProperty("kind").GetString() == "video"
                                                 && r.GetProperty("participantId").GetString() == publisherId);
        Assert.True(video.ValueKind == JsonValueKind.Object, $"aiortc received no video track from {publisherId}: {final}");
        Assert.True(video.GetProperty("frames").GetInt64() > 30, $"aiortc decoded too few frames: {video}");
        Assert.True(video.GetProperty("width").GetInt32() > 0);
        Assert.Contains(received, r => r.GetProperty("kind").GetString() == "audio"
                                       && r.GetProperty("participantId").GetString() == publisherId
                                       && r.GetProperty("frames").GetInt64() > 0);
    }
}
