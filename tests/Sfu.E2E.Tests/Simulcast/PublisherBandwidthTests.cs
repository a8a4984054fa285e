using System.Diagnostics;
using Sfu.E2E.Tests.Loss;
using Sfu.Streams.Recovery;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests.Simulcast;

/// <summary>
/// The publisher leg of congestion control: the SFU answers transport-cc and sends feedback, so the publishing browser
/// runs its own estimate toward the SFU (candidate-pair availableOutgoingBitrate). A policer on the server's ingress
/// from the publisher (the test-only <see cref="PacketImpairment"/> rate limit) must make the browser send less, and
/// lifting it must let it climb back to the high layer.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class PublisherBandwidthTests(SfuServerFixture server, ChromiumFixture chromium, ITestOutputHelper output)
    : ImpairedE2ETestBase(server, chromium, output)
{
    /// <summary>What the publisher sent over about a second: all video, the high rid, and its estimate.</summary>
    private sealed record SendRate(long VideoBps, long HighBps, double? AvailableBps, string? HighLimitation)
    {
        public override string ToString() =>
            $"video {VideoBps / 1000} kbps, high {HighBps / 1000} kbps, available {(AvailableBps ?? -1) / 1000:0} kbps, high limited by {HighLimitation ?? "-"}";
    }

    private static async Task<SendRate> MeasureAsync(SfuPage page)
    {
        var clock = Stopwatch.StartNew();
        var before = await page.StatsAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var after = await page.StatsAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        long Bytes(PageStats s, string? rid) =>
            s.Outbound.Where(o => o.Connection == "publisher" && o.Kind == "video" && (rid is null || o.Rid == rid)).Sum(o => o.BytesSent);
        return new SendRate(
            (long)((Bytes(after, null) - Bytes(before, null)) * 8 / seconds),
            (long)((Bytes(after, "high") - Bytes(before, "high")) * 8 / seconds),
            after.Publisher.AvailableOutgoingBitrate,
            after.Outbound.FirstOrDefault(o => o.Connection == "publisher" && o.Rid == "high")?.QualityLimitationReason);
    }

    private static async Task<SendRate> MeasureUntilAsync(SfuPage page, Func<SendRate, bool> done, TimeSpan timeout, string what, TestLog log)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var rate = await MeasureAsync(page);
            log.Write("test", $"{clock.ElapsedMilliseconds} ms: {rate}");
            if (done(rate)) return rate;
            if (clock.Elapsed >= timeout) throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds:0} s; last {rate}");
        }
    }

    [ImpairedServerFact]
    public async Task Publisher_estimates_from_our_feedback_sends_less_under_an_ingress_policer_and_recovers()
    {
        var room = NewRoom("pubbwe");
        var a = await JoinPageAsync(room, "A", "&simulcast=1");
        var aId = await a.ParticipantIdAsync();
        // A viewer, so the SFU forwards (and asks for keyframes) as in a real call.
        var b = await JoinPageAsync(room, "B", "&simulcast=0");
        await Poll.UntilAsync(b.StatsAsync, s => s.InboundFrom(aId, "video").Any(v => v.FramesDecoded > 0), MediaTimeout, "B decodes A");

        var session = await Poll.UntilAsync(
            () => Task.FromResult(PacketImpairment.Sessions.FirstOrDefault(s => s.Cname == aId && s.TransportFeedback is not null)),
            s => s is not null, MediaTimeout, "A's publisher connection negotiated transport-cc");
        var baseline = await MeasureUntilAsync(a, r => r.HighBps > 300_000 && r.AvailableBps > 1_000_000, MediaTimeout,
            "A sends the high layer with an estimate above 1 Mbps", Log);
        Assert.True(session!.TransportFeedback!.FeedbackPacketsSent > 0);
        Log.Write("test", $"baseline {baseline}; feedback sent {session.TransportFeedback.FeedbackPacketsSent}, recorded {session.TransportFeedback.PacketsRecorded}");

        var rule = ImpairmentRule.RateLimit(aId, ImpairmentDirection.Ingress, 400_000);
        var squeezed = Stopwatch.StartNew();
        PacketImpairment.Add(rule);
        SendRate low;
        try
        {
            // The browser's loss-based estimate reacts to what our feedback reports lost: it drops the high layer
            // (or starves it) and sends well under what it sent before.
            low = await MeasureUntilAsync(a, r => r.AvailableBps < 800_000 && r.VideoBps < baseline.VideoBps / 2 && r.HighBps < 100_000,
                TimeSpan.FromSeconds(20), "A sends less under a 400 kbps ingress policer", Log);
            Log.Write("test", $"squeezed after {squeezed.ElapsedMilliseconds} ms: {low}; policer dropped {rule.Dropped} passed {rule.Passed}");
        }
        finally
        {
            PacketImpairment.Remove(rule);
        }
        Assert.True(rule.Dropped > 0);

        var released = Stopwatch.StartNew();
        var back = await MeasureUntilAsync(a, r => r.HighBps > 300_000 && r.AvailableBps > 1_000_000, TimeSpan.FromSeconds(40),
            "A sends the high layer again after the policer is lifted", Log);
        Log.Write("test", $"recovered after {released.ElapsedMilliseconds} ms: {back}");
    }
}
