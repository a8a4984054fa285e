using System.Diagnostics;
using System.Text.Json;
using Sfu.E2E.Tests.Loss;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Recovery;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests.Simulcast;

/// <summary>
/// The subscriber's downlink squeezed to 300 kbps (a policer on the server's egress toward it, the test-only
/// <see cref="PacketImpairment"/> hook: tc is not usable in-process): the send-side estimate falls and the allocator
/// moves the subscriber to the low layer, which keeps decoding.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class BandwidthSqueezeTests(SfuServerFixture server, ChromiumFixture chromium, ITestOutputHelper output)
    : ImpairedE2ETestBase(server, chromium, output)
{
    [ImpairedServerFact]
    public async Task Squeezed_subscriber_falls_to_the_low_layer_keeps_decoding_and_returns_to_high()
    {
        var room = NewRoom("squeeze");
        var a = await JoinPageAsync(room, "A", "&simulcast=1");
        var b = await JoinPageAsync(room, "B", "&simulcast=0");
        var aId = await a.ParticipantIdAsync();
        var bId = await b.ParticipantIdAsync();
        await Poll.UntilAsync(b.StatsAsync, s => s.InboundFrom(aId, "video").Any(v => v.FrameWidth >= 1280),
            MediaTimeout, "B decodes A at the high layer before the squeeze");
        var bandwidth = await Poll.UntilAsync(
            () => Task.FromResult(PacketImpairment.Sessions.FirstOrDefault(s => s.Cname == bId && s.Bandwidth is not null)?.Bandwidth),
            bw => bw is not null, MediaTimeout, "B's subscriber connection negotiated transport-cc");
        Log.Write("test", $"estimate before: {bandwidth!.EstimateBps} bps");

        var session = PacketImpairment.Sessions.First(s => s.Cname == bId && s.Bandwidth is not null);
        var down = session.DownTracks.Single(d => d.Source.IsVideo);
        var rule = ImpairmentRule.RateLimit(bId, ImpairmentDirection.Egress, 300_000);
        var clock = Stopwatch.StartNew();
        PacketImpairment.Add(rule);
        // Where the time to the low layer goes: the estimate falling below what the medium layer needs, the
        // allocator's cap, the forwarding switch at a low-layer keyframe, and the first low frame decoded.
        using var timeline = SqueezeTimeline.Start(bandwidth, down, clock);
        long lowMs;
        try
        {
            var low = await Poll.UntilAsync(b.StatsAsync, s => s.InboundFrom(aId, "video").Any(v => v.FrameWidth is > 0 and <= 320),
                TimeSpan.FromSeconds(20), "B decodes A at the low layer (<= 320 px) under 300 kbps");
            lowMs = clock.ElapsedMilliseconds;
            Log.Write("test", $"low after {lowMs} ms ({timeline}), estimate {bandwidth.EstimateBps} bps ({bandwidth.Estimator.State}), " +
                              $"dropped {rule.Dropped} passed {rule.Passed}: {JsonSerializer.Serialize(low.InboundFrom(aId, "video"))}");
            Assert.True(bandwidth.EstimateBps < 600_000, $"estimate {bandwidth.EstimateBps} bps under a 300 kbps link");
            // Issue 5: "falls to the low layer within 3 s" (first frame decoded at <= 320 px, measured 0.6-1.1 s).
            Assert.True(lowMs <= 3000, $"low layer decoded {lowMs} ms after the squeeze ({timeline})");
            var frames = low.InboundFrom(aId, "video").Single().FramesDecoded;
            var moving = await Poll.UntilAsync(b.StatsAsync,
                s => s.InboundFrom(aId, "video").Any(v => v.FramesDecoded > frames + 20 && v.FrameWidth <= 320),
                TimeSpan.FromSeconds(20), "B keeps decoding the low layer under the squeeze");
            Log.Write("test", $"under squeeze: {JsonSerializer.Serialize(moving.InboundFrom(aId, "video"))}");
        }
        finally
        {
            PacketImpairment.Remove(rule);
        }

        // The squeeze ends: the estimate must climb back and B return to the high layer within 15 s.
        var released = Stopwatch.StartNew();
        var high = await Poll.UntilAsync(b.StatsAsync, s => s.InboundFrom(aId, "video").Any(v => v.FrameWidth >= 1280),
            TimeSpan.FromSeconds(15), "B back at the high layer within 15 s of the squeeze ending");
        var highMs = released.ElapsedMilliseconds;
        Log.Write("test", $"high again after {highMs} ms, estimate {bandwidth.EstimateBps} bps: {JsonSerializer.Serialize(high.InboundFrom(aId, "video"))}");
        // bench/squeeze.sh runs this test N times and summarizes these lines.
        if (Environment.GetEnvironmentVariable("SFU_SQUEEZE_RESULTS") is { Length: > 0 } results)
            File.AppendAllText(results, $"{lowMs} {highMs} {timeline.EstimateLowMs} {timeline.AllocatedLowMs} {timeline.SwitchedLowMs}\n");
    }
}
