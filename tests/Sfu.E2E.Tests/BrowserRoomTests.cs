using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests;

/// <summary>Chromium pages talking through the server: the page at <c>/</c>, real ICE, DTLS,
/// SRTP and decoders, fake camera (~20 fps) and microphone.</summary>
[Collection(E2ECollection.Name)]
public sealed class BrowserRoomTests(SfuServerFixture server, ChromiumFixture chromium, ITestOutputHelper output)
    : E2ETestBase(server, chromium, output)
{
    [Fact]
    public async Task Two_pages_decode_each_others_video_and_receive_audio()
    {
        var room = NewRoom("two");
        var a = await JoinPageAsync(room, "A");
        var b = await JoinPageAsync(room, "B");
        var aId = await a.ParticipantIdAsync();
        var bId = await b.ParticipantIdAsync();
        Assert.NotEqual(aId, bId);

        var aSees = await a.WaitForVideoFromAsync(bId, 60, MediaTimeout);
        var bSees = await b.WaitForVideoFromAsync(aId, 60, MediaTimeout);
        await a.WaitForRisingAudioFromAsync(bId, MediaTimeout);
        await b.WaitForRisingAudioFromAsync(aId, MediaTimeout);

        Log.Write("test", $"A sees B: {JsonSerializer.Serialize(aSees.InboundFrom(bId, "video"))}");
        Log.Write("test", $"B sees A: {JsonSerializer.Serialize(bSees.InboundFrom(aId, "video"))}");
        Assert.Equal("connected", aSees.Subscriber.ConnectionState);
        Assert.Equal("connected", aSees.Publisher.ConnectionState);
        Assert.Equal("connected", bSees.Subscriber.ConnectionState);

        var aState = await a.StateAsync();
        Assert.Equal("B", Assert.Contains(bId, aState.RemoteParticipants).Name);
    }

    [Fact]
    public async Task Late_joiner_decodes_video_within_two_seconds_of_its_subscriber_connecting()
    {
        var room = NewRoom("late");
        var a = await JoinPageAsync(room, "A");
        var b = await JoinPageAsync(room, "B");
        var aId = await a.ParticipantIdAsync();
        var bId = await b.ParticipantIdAsync();
        // Both publishers are live before C arrives, so C's first subscriber offer carries their tracks.
        await a.WaitForVideoFromAsync(bId, 0, MediaTimeout);
        await b.WaitForVideoFromAsync(aId, 0, MediaTimeout);

        var c = await JoinPageAsync(room, "C");
        // Measured inside the page so Playwright round trips do not add to it: the first getStats()
        // that shows a decoded frame from each publisher, against the subscriber's 'connected'.
        var timingJson = await c.Page.EvaluateAsync<string>(
            """
            async ([ids, timeoutMs]) => {
              const start = performance.now();
              const decodedAt = {};
              while (performance.now() - start < timeoutMs && !ids.every(id => id in decodedAt)) {
                const s = await window.sfu.stats();
                for (const i of s.inbound) {
                  if (i.kind === 'video' && i.framesDecoded > 0 && i.participantId && !(i.participantId in decodedAt)) {
                    decodedAt[i.participantId] = performance.now();
                  }
                }
                await new Promise(r => setTimeout(r, 20));
              }
              return JSON.stringify({ connectedAt: window.sfu.state.timings.subscriberConnectedAt, decodedAt });
            }
            """, new object[] { new[] { aId, bId }, MediaTimeout.TotalMilliseconds });
        Log.Write("test", $"C timing: {timingJson}");
        var timing = JsonDocument.Parse(timingJson).RootElement;

        Assert.Equal(JsonValueKind.Number, timing.GetProperty("connectedAt").ValueKind);
        var connectedAt = timing.GetProperty("connectedAt").GetDouble();
        var decodedAt = timing.GetProperty("decodedAt");
        foreach (var publisher in new[] { aId, bId })
        {
            Assert.True(decodedAt.TryGetProperty(publisher, out var at), $"C decoded no video from {publisher}");
            var elapsedMs = at.GetDouble() - connectedAt;
            Assert.True(elapsedMs < 2000, $"C decoded {publisher}'s first frame {elapsedMs:0} ms after its subscriber connected (limit 2000 ms)");
        }
    }

    [Fact]
    public async Task Leaving_participant_is_announced_and_its_video_stops()
    {
        var room = NewRoom("leave");
        var a = await JoinPageAsync(room, "A");
        var b = await JoinPageAsync(room, "B");
        var c = await JoinPageAsync(room, "C");
        var bId = await b.ParticipantIdAsync();
        var cId = await c.ParticipantIdAsync();

        var aStats = await a.WaitForVideoFromAsync(cId, 0, MediaTimeout);
        var bStats = await b.WaitForVideoFromAsync(cId, 0, MediaTimeout);
        var cTrackOnA = aStats.InboundFrom(cId, "video").Select(v => v.TrackIdentifier).ToHashSet();
        var cTrackOnB = bStats.InboundFrom(cId, "video").Select(v => v.TrackIdentifier).ToHashSet();

        await c.LeaveAsync();

        foreach (var (viewer, cTracks) in new[] { (a, cTrackOnA), (b, cTrackOnB) })
        {
            await Poll.UntilAsync(viewer.EventsAsync,
                events => events.Any(e => e.GetProperty("type").GetString() == "participant-left"
                                          && e.TryGetProperty("participantId", out var p) && p.GetString() == cId),
                TimeSpan.FromSeconds(10), $"{viewer.Label} gets participant-left for C");
            var state = await Poll.UntilAsync(viewer.StateAsync, s => !s.RemoteParticipants.ContainsKey(cId),
                TimeSpan.FromSeconds(5), $"{viewer.Label} drops C from its state");
            Assert.DoesNotContain(cId, state.RemoteParticipants.Keys);
            Assert.Equal(0, await viewer.Page.Locator($"[data-participant-id=\"{cId}\"]").CountAsync());
            await WaitUntilNoVideoFlowsAsync(viewer, cTracks);
        }

        // The remaining pair keeps working after the renegotiation that removed C's tracks.
        var before = (await a.StatsAsync()).InboundFrom(bId, "video").Sum(v => v.FramesDecoded);
        await a.WaitForVideoFromAsync(bId, before + 20, MediaTimeout);
    }

    /// <summary>Until C's video tracks are gone from the stats or have decoded nothing for 1.5 s.</summary>
    private static async Task WaitUntilNoVideoFlowsAsync(SfuPage viewer, IReadOnlySet<string?> tracks)
    {
        var quietFor = TimeSpan.FromSeconds(1.5);
        var timeout = TimeSpan.FromSeconds(15);
        var clock = Stopwatch.StartNew();
        var sinceChange = Stopwatch.StartNew();
        long? last = null;
        while (true)
        {
            var frames = (await viewer.StatsAsync()).Inbound
                .Where(i => i.Kind == "video" && tracks.Contains(i.TrackIdentifier))
                .Sum(i => i.FramesDecoded);
            if (last != frames)
            {
                last = frames;
                sinceChange.Restart();
            }
            else if (sinceChange.Elapsed >= quietFor)
            {
                return;
            }
            Assert.True(clock.Elapsed < timeout, $"{viewer.Label} still decodes video from the participant that left ({frames} frames)");
            await Task.Delay(Poll.Interval);
        }
    }
}
