using System.Text.Json;
using Sfu.Streams.Recovery;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests.Loss;

/// <summary>
/// RED for Opus (RFC 2198) end to end: Chromium publishes its microphone as RED when our answer lists red first; a
/// Chromium subscriber that negotiated red gets the RED packets forwarded, and aiortc (which has no RED) gets them
/// reduced to their primary Opus payload, and still decodes audio. The counters are the server's own
/// (<see cref="Sfu.Streams.Redundancy.RedCounters"/>), read from the sessions the test-only impairment hook lists.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class OpusRedTests(SfuServerFixture server, ChromiumFixture chromium, ITestOutputHelper output)
    : ImpairedE2ETestBase(server, chromium, output)
{
    [ImpairedServerFact]
    public async Task Red_is_forwarded_to_a_red_subscriber_and_stripped_for_one_without()
    {
        var room = NewRoom("red");
        var a = await JoinPageAsync(room, "A");
        var b = await JoinPageAsync(room, "B");
        var aId = await a.ParticipantIdAsync();
        await b.WaitForRisingAudioFromAsync(aId, MediaTimeout);

        var aiortc = StartAiortc(room, "py", "--until-video-frames", "31", "--duration", MediaTimeout.TotalSeconds.ToString("0"));

        var publisherAnswer = await a.Page.EvaluateAsync<string>("() => window.sfu.remoteSdp('publisher')");
        Assert.Contains("red/48000/2", publisherAnswer);

        var downs = () => PacketImpairment.Sessions.SelectMany(s => s.DownTracks).Where(d => d.Source.ParticipantId == aId && d.Source.Kind == "audio").ToList();
        // Chromium's RED reaches B as RED, and reaches aiortc as plain Opus.
        await Poll.UntilAsync(() => Task.FromResult(downs()),
            list => list.Count == 2 && list.Any(d => d.Red is { Strips: false } r && r.Counters.Forwarded > 50)
                                    && list.Any(d => d.Red is { Strips: true } r && r.Counters.Stripped > 50),
            MediaTimeout + TimeSpan.FromSeconds(20), "RED forwarded to B and stripped for aiortc");
        foreach (var d in downs())
            Log.Write("test", $"audio down-track {d.Ssrc}: red {(d.Red is { Strips: true } ? "stripped" : "forwarded")} {d.Red?.Counters.Snapshot()}");

        var final = await aiortc.WaitForEventAsync("stats", MediaTimeout + TimeSpan.FromSeconds(20));
        var audio = final.GetProperty("received").EnumerateArray()
            .FirstOrDefault(r => r.GetProperty("kind").GetString() == "audio" && r.GetProperty("participantId").GetString() == aId);
        Assert.True(audio.ValueKind == JsonValueKind.Object, $"aiortc received no audio from A: {final}");
        Assert.True(audio.GetProperty("frames").GetInt64() > 0, $"aiortc decoded no audio from A: {audio}");
        Assert.All(downs(), d => Assert.Equal(0, d.Red!.Counters.Dropped));
        // B keeps decoding A's audio from the forwarded RED.
        await b.WaitForRisingAudioFromAsync(aId, MediaTimeout);
    }
}
