using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Recovery;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests.Loss;

/// <summary>
/// Loss recovery with real Chromium peers. Chromium reaches the in-process server directly over loopback, so loss is
/// injected inside the server through the test-only <see cref="PacketImpairment"/> hook (seeded, per participant and
/// direction), and the server's own counters tell how much of it NACK and RTX repaired.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class PacketLossTests(SfuServerFixture server, ChromiumFixture chromium, ITestOutputHelper output)
    : ImpairedE2ETestBase(server, chromium, output)
{
    private static (long Frames, long Freezes) Decoded(PageStats stats, string from) =>
        (stats.InboundFrom(from, "video").Sum(v => v.FramesDecoded), stats.InboundFrom(from, "video").Sum(v => v.FreezeCount));

    private static MediaSession SessionOf(string participantId, Func<MediaSession, bool> which) =>
        PacketImpairment.Sessions.Single(s => s.Cname == participantId && which(s));

    [ImpairedServerFact]
    public async Task Publisher_leg_loss_is_repaired_by_nack_and_rtx_at_5_and_20_percent()
    {
        var room = NewRoom("loss-up");
        var a = await JoinPageAsync(room, "A");
        var b = await JoinPageAsync(room, "B");
        var aId = await a.ParticipantIdAsync();
        await b.WaitForVideoFromAsync(aId, 30, MediaTimeout);
        var video = SessionOf(aId, s => s.UpTracks.Any()).UpTracks.Single(t => t.IsVideo);

        foreach (var (probability, drops, minRatio) in new[] { (0.05, 80, 0.95), (0.20, 200, 0.90) })
        {
            var rule = new ImpairmentRule(aId, ImpairmentDirection.Ingress, probability, seed: 4588);
            var before = video.Recovery.Snapshot();
            var (framesBefore, freezesBefore) = Decoded(await b.StatsAsync(), aId);
            var clock = Stopwatch.StartNew();
            PacketImpairment.Add(rule);
            long droppedVideo;
            try
            {
                droppedVideo = await Poll.UntilAsync(() => Task.FromResult(DroppedVideo(rule, video)), n => n >= drops,
                    TimeSpan.FromSeconds(60), $"{drops} video packets dropped at {probability:P0}");
            }
            finally
            {
                PacketImpairment.Remove(rule);
            }
            var impaired = clock.Elapsed;
            droppedVideo = DroppedVideo(rule, video);
            // Repairs of the last drops are still under way: let them finish (or be given up on).
            await Poll.UntilAsync(() => Task.FromResult(video.Streams.Sum(s => s.Nack?.MissingCount ?? 0)), n => n == 0,
                TimeSpan.FromSeconds(3), "no video packet missing any more");
            var after = video.Recovery.Snapshot();
            var (framesAfter, freezesAfter) = Decoded(await b.StatsAsync(), aId);
            var repaired = after.PacketsRepaired - before.PacketsRepaired;
            var ratio = (double)repaired / droppedVideo;
            Log.Write("test", $"{probability:P0} loss for {impaired.TotalSeconds:0.0} s: dropped {rule.Dropped} RTP ({droppedVideo} video media), " +
                              $"NACKs sent {after.NacksSent - before.NacksSent}, requested {after.PacketsRequested - before.PacketsRequested}, " +
                              $"repaired {repaired} (ratio {ratio:0.000}), RTX restored {after.RtxRestored - before.RtxRestored}, " +
                              $"unrepaired {after.PacketsUnrepaired - before.PacketsUnrepaired}, RTX duplicates {after.RtxDuplicates - before.RtxDuplicates}, " +
                              $"keyframe requests {after.KeyframeRequests - before.KeyframeRequests}; B decoded {framesAfter - framesBefore} frames, " +
                              $"freezes {freezesAfter - freezesBefore}");

            Assert.True(after.NacksSent > before.NacksSent, "no NACK was sent to the publisher");
            Assert.True(after.RtxRestored > before.RtxRestored, "no RTX packet was restored");
            Assert.True(ratio >= minRatio, $"repaired {repaired} of {droppedVideo} lost video packets ({ratio:P1}) at {probability:P0} loss; expected >= {minRatio:P0}");
            // The fake camera runs at ~20 fps: B must keep decoding through the loss, not stall on it.
            Assert.True(framesAfter - framesBefore >= impaired.TotalSeconds * 10,
                $"B decoded {framesAfter - framesBefore} frames in {impaired.TotalSeconds:0.0} s of {probability:P0} loss");
            Assert.True(freezesAfter - freezesBefore <= AllowedFreezes(impaired), $"B froze {freezesAfter - freezesBefore} times in {impaired.TotalSeconds:0.0} s at {probability:P0} loss");
        }
    }

    [ImpairedServerFact]
    public async Task Subscriber_leg_loss_is_answered_from_the_retransmission_buffer_as_rtx()
    {
        var room = NewRoom("loss-down");
        var a = await JoinPageAsync(room, "A");
        var b = await JoinPageAsync(room, "B");
        var aId = await a.ParticipantIdAsync();
        var bId = await b.ParticipantIdAsync();
        await b.WaitForVideoFromAsync(aId, 30, MediaTimeout);
        var down = SessionOf(bId, s => s.DownTracks.Any()).DownTracks.Single(d => d.Source.IsVideo && d.Source.ParticipantId == aId);
        // Chromium accepted our RTX payload type, so repairs go out on the RTX SSRC.
        Assert.NotNull(down.RtxPayloadType);

        var rule = new ImpairmentRule(bId, ImpairmentDirection.Egress, 0.05, seed: 4585);
        var before = down.Recovery.Snapshot();
        var nacksBefore = down.NacksReceived;
        var (framesBefore, freezesBefore) = Decoded(await b.StatsAsync(), aId);
        var clock = Stopwatch.StartNew();
        PacketImpairment.Add(rule);
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(rule.DroppedFor(down.Ssrc)), n => n >= 40,
                TimeSpan.FromSeconds(60), "40 video packets dropped toward B");
        }
        finally
        {
            PacketImpairment.Remove(rule);
        }
        var impaired = clock.Elapsed;
        var dropped = rule.DroppedFor(down.Ssrc);
        // Let the last requests arrive and be answered.
        await Poll.UntilAsync(() => Task.FromResult(down.Recovery.PacketsRetransmitted - before.PacketsRetransmitted),
            n => n >= dropped * 0.95, TimeSpan.FromSeconds(3), "retransmissions catch up with the drops");
        var after = down.Recovery.Snapshot();
        var (framesAfter, freezesAfter) = Decoded(await b.StatsAsync(), aId);
        var retransmitted = after.PacketsRetransmitted - before.PacketsRetransmitted;
        Log.Write("test", $"5% loss toward B for {impaired.TotalSeconds:0.0} s: dropped {rule.Dropped} RTP ({dropped} of A's video, " +
                          $"{rule.DroppedFor(down.RtxSsrc)} RTX), NACKs received {down.NacksReceived - nacksBefore}, " +
                          $"requested {after.PacketsRequested - before.PacketsRequested}, retransmitted {retransmitted}, " +
                          $"not held {after.NotHeld - before.NotHeld}, too soon {after.TooSoon - before.TooSoon}; " +
                          $"B decoded {framesAfter - framesBefore} frames, freezes {freezesAfter - freezesBefore}");

        LossFigures.Write("subscriber", 0.05, 0, dropped, retransmitted, -1, -1, -1, framesAfter - framesBefore, freezesAfter - freezesBefore, impaired.TotalSeconds);

        // REST: B's subscribed video from A says how its NACKs were answered.
        using var http = new HttpClient { BaseAddress = Server.BaseUri, Timeout = TimeSpan.FromSeconds(10) };
        var stats = await http.GetFromJsonAsync<JsonElement>($"api/rooms/{room}/stats");
        var subscribed = stats.GetProperty("participants").EnumerateArray().Single(p => p.GetProperty("participantId").GetString() == bId)
            .GetProperty("subscribed").EnumerateArray().Single(t => t.GetProperty("kind").GetString() == "video" && t.GetProperty("fromParticipantId").GetString() == aId);
        var answered = subscribed.GetProperty("retransmission");
        Assert.True(answered.GetProperty("retransmissionsSent").GetInt64() >= after.PacketsRetransmitted, $"REST retransmission {answered}");
        Assert.True(answered.GetProperty("rtxRetransmissions").GetInt64() > 0, $"REST retransmission {answered}");

        Assert.True(down.NacksReceived > nacksBefore, "B sent no NACK");
        Assert.True(retransmitted >= dropped * 0.95, $"retransmitted {retransmitted} for {dropped} dropped video packets");
        Assert.True(framesAfter - framesBefore >= impaired.TotalSeconds * 10,
            $"B decoded {framesAfter - framesBefore} frames in {impaired.TotalSeconds:0.0} s of loss");
        Assert.True(freezesAfter - freezesBefore <= AllowedFreezes(impaired), $"B froze {freezesAfter - freezesBefore} times in {impaired.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// Chromium counts freezes (a frame more than ~150 ms late) on this shared 2-core machine even without loss: one in
    /// 15 s was measured. An unrepaired loss in a delta frame stalls the decoder until a keyframe arrives (a freeze per
    /// loss, and these runs drop 40-200 video packets), so one per 5 s still tells repair from no repair.
    /// </summary>
    private static long AllowedFreezes(TimeSpan impaired) => 1 + (long)(impaired.TotalSeconds / 5);

    private static long DroppedVideo(ImpairmentRule rule, UpTrack video) => video.Streams.Sum(s => rule.DroppedFor(s.Ssrc));
}
