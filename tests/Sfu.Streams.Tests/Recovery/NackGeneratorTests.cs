using Sfu.Streams.Recovery;

namespace Sfu.Streams.Tests.Recovery;

public class NackGeneratorTests
{
    private readonly ManualTime _clock = new();

    private NackGenerator Create(NackSettings? settings = null) => new(_clock, settings);

    private static ushort[] Poll(NackGenerator g, int capacity = 64)
    {
        var dest = new ushort[capacity];
        return dest[..g.Poll(dest)];
    }

    public static TheoryData<long[], long[]> Arrivals => new()
    {
        { [1, 2, 3], [] },
        { [1, 4], [2, 3] },
        { [1, 4, 2], [3] },
        { [1, 5, 3, 2, 4], [] },
        { [10, 12, 15, 11], [13, 14] },
        // Extended numbers across the 16-bit wrap: ingress extends them, so the gap is plain arithmetic.
        { [65534, 65535, 65538], [65536, 65537] },
        { [65535, 65537, 65536, 65540], [65538, 65539] },
        // Older than the first packet: never missing.
        { [100, 99, 98, 101], [] },
    };

    [Theory]
    [MemberData(nameof(Arrivals))]
    public void Missing_sequences_follow_gaps_and_late_arrivals(long[] arrivals, long[] missing)
    {
        var g = Create();
        foreach (var s in arrivals) g.OnPacket(s, keyframe: false);
        Assert.Equal(missing, g.MissingSequences());
    }

    [Theory]
    [InlineData(new long[] { 1 }, 2L, NackOutcome.InOrder)]
    [InlineData(new long[] { 1 }, 4L, NackOutcome.Gap)]
    [InlineData(new long[] { 1, 4 }, 3L, NackOutcome.Recovered)]
    [InlineData(new long[] { 1, 2 }, 2L, NackOutcome.Old)]
    [InlineData(new long[] { 1, 2, 3 }, 1L, NackOutcome.Old)]
    [InlineData(new long[] { 1 }, 700L, NackOutcome.Reset)]
    public void Outcome_says_what_a_packet_meant(long[] before, long sequence, NackOutcome expected)
    {
        var g = Create();
        foreach (var s in before) g.OnPacket(s, keyframe: false);
        Assert.Equal(expected, g.OnPacket(sequence, keyframe: false));
    }

    [Fact]
    public void Poll_returns_low_16_bits_across_the_wrap()
    {
        var g = Create();
        g.OnPacket(65534, false);
        g.OnPacket(65538, false);
        Assert.Equal(new ushort[] { 65535, 0, 1 }, Poll(g));
    }

    [Fact]
    public void First_request_is_immediate_then_retries_wait_one_rtt_plus_the_margin()
    {
        var g = Create(NackSettings.Default with { InitialRtt = TimeSpan.FromMilliseconds(100), RetryMargin = TimeSpan.FromMilliseconds(10) });
        g.OnPacket(1, false);
        g.OnPacket(3, false);
        Assert.Equal(new ushort[] { 2 }, Poll(g));
        Assert.Empty(Poll(g));
        // libwebrtc would ignore a retry within its RTT + 5 ms of its retransmission: ours waits RTT + 10 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(110), g.RetryInterval);
        _clock.Advance(TimeSpan.FromMilliseconds(109));
        Assert.Empty(Poll(g));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new ushort[] { 2 }, Poll(g));
        Assert.Equal(2, g.Requested);
    }

    [Fact]
    public void Retry_interval_never_drops_below_the_minimum()
    {
        var g = Create(NackSettings.Default with { InitialRtt = TimeSpan.FromMilliseconds(1), MinRetryInterval = TimeSpan.FromMilliseconds(20) });
        g.OnPacket(1, false);
        g.OnPacket(3, false);
        Assert.Single(Poll(g));
        _clock.Advance(TimeSpan.FromMilliseconds(19));
        Assert.Empty(Poll(g));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(Poll(g));
    }

    [Fact]
    public void Reorder_delay_holds_the_first_request_back()
    {
        var g = Create(NackSettings.Default with { ReorderDelay = TimeSpan.FromMilliseconds(10) });
        g.OnPacket(1, false);
        g.OnPacket(3, false);
        Assert.Empty(Poll(g));
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        // Arrives within the reorder delay: never requested.
        g.OnPacket(2, false);
        g.OnPacket(5, false);
        _clock.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Empty(Poll(g));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new ushort[] { 4 }, Poll(g));
    }

    [Fact]
    public void Rtt_is_learnt_from_a_packet_repaired_after_one_request()
    {
        var g = Create(NackSettings.Default with { InitialRtt = TimeSpan.FromMilliseconds(100) });
        g.OnPacket(1, false);
        g.OnPacket(3, false);
        Poll(g);
        _clock.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(NackOutcome.Recovered, g.OnPacket(2, false));
        // The first measurement replaces the initial guess.
        Assert.Equal(TimeSpan.FromMilliseconds(20), g.Rtt);
        Assert.Equal(1, g.Recovered);
    }

    [Fact]
    public void Rtt_ignores_a_packet_rebuilt_from_fec()
    {
        // FEC that follows the NACK by 2 ms repairs the packet; the round trip is still what it was.
        var g = Create(NackSettings.Default with { InitialRtt = TimeSpan.FromMilliseconds(100) });
        g.OnPacket(1, false);
        g.OnPacket(3, false);
        Poll(g);
        _clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal(NackOutcome.Recovered, g.OnPacket(2, false, retransmitted: true, rebuilt: true));
        Assert.Equal(TimeSpan.FromMilliseconds(100), g.Rtt);
        Assert.Equal(1, g.Recovered);
    }

    [Fact]
    public void Rtt_ignores_packets_requested_more_than_once()
    {
        var g = Create(NackSettings.Default with { InitialRtt = TimeSpan.FromMilliseconds(50), RetryMargin = TimeSpan.Zero });
        g.OnPacket(1, false);
        g.OnPacket(3, false);
        Poll(g);
        _clock.Advance(TimeSpan.FromMilliseconds(50));
        Poll(g);
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        g.OnPacket(2, false);
        Assert.Equal(TimeSpan.FromMilliseconds(50), g.Rtt);
    }

    [Fact]
    public void Gives_up_after_max_retries_and_asks_for_a_keyframe_once()
    {
        var settings = NackSettings.Default with { MaxRetries = 3, InitialRtt = TimeSpan.FromMilliseconds(20), RetryMargin = TimeSpan.Zero };
        var g = Create(settings);
        g.OnPacket(1, false);
        g.OnPacket(3, false);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(new ushort[] { 2 }, Poll(g));
            Assert.False(g.TakeKeyframeRequest());
            _clock.Advance(TimeSpan.FromMilliseconds(20));
        }
        Assert.Empty(Poll(g));
        Assert.Equal(0, g.MissingCount);
        Assert.Equal(1, g.Abandoned);
        Assert.True(g.TakeKeyframeRequest());
        Assert.False(g.TakeKeyframeRequest());
        // Given up: a late copy is old news.
        Assert.Equal(NackOutcome.Old, g.OnPacket(2, false));
    }

    [Fact]
    public void Gives_up_after_max_age_whatever_retries_remain()
    {
        var g = Create(NackSettings.Default with { InitialRtt = TimeSpan.FromMilliseconds(400), MaxAge = TimeSpan.FromSeconds(1), RetryMargin = TimeSpan.Zero });
        g.OnPacket(1, false);
        g.OnPacket(3, false);
        Assert.Single(Poll(g));
        _clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Single(Poll(g));
        _clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Single(Poll(g));
        _clock.Advance(TimeSpan.FromMilliseconds(201));
        Assert.Empty(Poll(g));
        Assert.Equal(1, g.Abandoned);
        Assert.True(g.TakeKeyframeRequest());
    }

    [Fact]
    public void No_keyframe_request_when_a_keyframe_started_after_the_lost_packet()
    {
        var g = Create(NackSettings.Default with { MaxRetries = 1, InitialRtt = TimeSpan.FromMilliseconds(20), RetryMargin = TimeSpan.Zero });
        g.OnPacket(1, false);
        g.OnPacket(3, false);
        g.OnPacket(4, keyframe: true);
        Poll(g);
        _clock.Advance(TimeSpan.FromMilliseconds(20));
        Poll(g);
        Assert.Equal(1, g.Abandoned);
        Assert.False(g.TakeKeyframeRequest());
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Too_many_missing_resets_and_asks_for_a_keyframe_unless_one_arrives(bool jumpIsKeyframe, bool keyframeDue)
    {
        var g = Create(NackSettings.Default with { MaxMissing = 500 });
        g.OnPacket(1, false);
        g.OnPacket(400, false);
        Assert.Equal(398, g.MissingCount);
        Assert.Equal(NackOutcome.Reset, g.OnPacket(600, jumpIsKeyframe));
        Assert.Equal(0, g.MissingCount);
        Assert.Equal(398 + 199, g.Abandoned);
        Assert.Equal(keyframeDue, g.TakeKeyframeRequest());
        Assert.Empty(Poll(g));
        // Numbering goes on from the jump.
        Assert.Equal(NackOutcome.Gap, g.OnPacket(602, false));
        Assert.Equal(new long[] { 601 }, g.MissingSequences());
    }

    [Fact]
    public void A_small_destination_gets_the_oldest_first_and_the_rest_stays_due()
    {
        var g = Create();
        g.OnPacket(1, false);
        g.OnPacket(12, false);
        Assert.Equal(new ushort[] { 2, 3, 4, 5 }, Poll(g, 4));
        Assert.Equal(new ushort[] { 6, 7, 8, 9 }, Poll(g, 4));
        Assert.Equal(new ushort[] { 10, 11 }, Poll(g, 4));
        Assert.Empty(Poll(g, 4));
    }

    [Fact]
    public void Randomized_loss_and_reordering_leave_exactly_the_never_received_packets_missing()
    {
        var random = new Random(4588);
        for (var run = 0; run < 200; run++)
        {
            var g = Create(NackSettings.Default with { MaxMissing = 10_000 });
            var start = random.Next(0, 70_000);
            var count = random.Next(2, 300);
            var sent = Enumerable.Range(start, count).Select(s => (long)s).ToList();
            // Lose some, then swap neighbours to reorder.
            var received = sent.Where(_ => random.NextDouble() > 0.2).ToList();
            for (var i = 1; i < received.Count; i++)
                if (random.NextDouble() < 0.2) (received[i - 1], received[i]) = (received[i], received[i - 1]);
            if (received.Count == 0) continue;
            foreach (var s in received) g.OnPacket(s, false);
            var first = received[0];
            var highest = received.Max();
            var expected = sent.Where(s => s > first && s < highest && !received.Contains(s)).ToArray();
            Assert.Equal(expected, g.MissingSequences());
        }
    }

    [Fact]
    public void Repairs_are_timed_from_the_packet_before_the_gap_against_playout_delay_plus_rtt()
    {
        // No poll: the RTT stays at its initial 100 ms, so the deadline is 50 + 100 ms after the expected arrival.
        var g = Create(NackSettings.Default with { PlayoutDelay = TimeSpan.FromMilliseconds(50) });
        Assert.Equal(TimeSpan.FromMilliseconds(150), g.PlayoutDeadline);
        g.OnPacket(1, false);
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        g.OnPacket(4, false);
        _clock.Advance(TimeSpan.FromMilliseconds(130));
        Assert.Equal(NackOutcome.Recovered, g.OnPacket(2, false));
        // Expected with packet 1, 10 ms before the gap showed: 140 ms late is in time, 160 ms is not.
        Assert.Equal(TimeSpan.FromMilliseconds(140), g.LastRepairLatency);
        Assert.True(g.LastRepairInTime);
        _clock.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(NackOutcome.Recovered, g.OnPacket(3, false));
        Assert.Equal(TimeSpan.FromMilliseconds(160), g.LastRepairLatency);
        Assert.False(g.LastRepairInTime);
        Assert.Equal(2, g.Recovered);
        Assert.Equal(1, g.RecoveredInTime);
    }

    [Fact]
    public void The_deadline_follows_the_measured_rtt()
    {
        var g = Create(NackSettings.Default with { PlayoutDelay = TimeSpan.FromMilliseconds(50), InitialRtt = TimeSpan.FromMilliseconds(20) });
        g.OnPacket(1, false);
        g.OnPacket(3, false);
        Assert.Equal(new ushort[] { 2 }, Poll(g));
        // A repair 180 ms after the request: the first measurement, the RTT is 180 ms, the deadline 50 ms more.
        _clock.Advance(TimeSpan.FromMilliseconds(180));
        Assert.Equal(NackOutcome.Recovered, g.OnPacket(2, false));
        Assert.Equal(TimeSpan.FromMilliseconds(180), g.Rtt);
        Assert.Equal(TimeSpan.FromMilliseconds(230), g.PlayoutDeadline);
        Assert.True(g.LastRepairInTime);
        Assert.True(g.IsMissing(2) is false);
    }

    [Fact]
    public void A_frame_left_without_its_marker_packet_has_the_next_number_asked_for_once()
    {
        var g = Create(NackSettings.Default with { TailLossDelay = TimeSpan.FromMilliseconds(10) });
        g.OnPacket(100, keyframe: false, marker: true);
        g.OnPacket(101, keyframe: false, marker: false);
        _clock.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Empty(Poll(g));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new ushort[] { 102 }, Poll(g));
        // Once per newest packet, and not missing: an unfounded guess must not become a loss.
        _clock.Advance(TimeSpan.FromMilliseconds(30));
        Assert.Empty(Poll(g));
        Assert.Equal(0, g.MissingCount);
        // It was lost: the retransmission is a repair, timed from packet 101 (40 ms ago).
        Assert.Equal(NackOutcome.Recovered, g.OnPacket(102, keyframe: false, marker: true, retransmitted: true));
        Assert.Equal(TimeSpan.FromMilliseconds(40), g.LastRepairLatency);
        Assert.Equal(TimeSpan.FromMilliseconds(10), g.LastRepairDetection);
        Assert.Equal(1, g.Recovered);
        Assert.Equal(1, g.TailProbes);
    }

    [Fact]
    public void A_tail_probe_that_was_unfounded_or_overtaken_changes_nothing_or_joins_the_gap()
    {
        var g = Create(NackSettings.Default with { TailLossDelay = TimeSpan.FromMilliseconds(10) });
        g.OnPacket(1, false, marker: false);
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(new ushort[] { 2 }, Poll(g));
        // The packet was only late (paced): it arrives as itself, nothing was lost.
        Assert.Equal(NackOutcome.InOrder, g.OnPacket(2, false, marker: false));
        Assert.Equal(0, g.Recovered);
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(new ushort[] { 3 }, Poll(g));
        // 3 and 4 were lost: 3 was asked for already, but perhaps before it was sent: asked for again with 4.
        Assert.Equal(NackOutcome.Gap, g.OnPacket(5, false, marker: true));
        Assert.Equal(new long[] { 3, 4 }, g.MissingSequences());
        Assert.Equal(new ushort[] { 3, 4 }, Poll(g));
        _clock.Advance(g.RetryInterval);
        Assert.Equal(new ushort[] { 3, 4 }, Poll(g));
        // Marker on the newest packet: the frame is complete, no probe.
        _clock.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(2, g.TailProbes);
    }

    [Fact]
    public void No_tail_probe_when_turned_off_or_without_marker_information()
    {
        var off = Create(NackSettings.Default with { TailLossDelay = TimeSpan.Zero });
        off.OnPacket(1, false, marker: false);
        var unknown = Create();
        unknown.OnPacket(1, false);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(Poll(off));
        Assert.Empty(Poll(unknown));
    }

    [Theory]
    [InlineData(0, 50)]
    [InlineData(10, 50)]
    [InlineData(20, 80)]
    [InlineData(100, 200)]
    public void The_playout_delay_follows_four_times_the_jitter_within_the_configured_bounds(double jitterMs, double delayMs)
    {
        var g = Create(NackSettings.Default with { PlayoutDelay = TimeSpan.FromMilliseconds(50), MaxPlayoutDelay = TimeSpan.FromMilliseconds(200) });
        g.Jitter = TimeSpan.FromMilliseconds(jitterMs);
        Assert.Equal(delayMs, g.PlayoutDelay.TotalMilliseconds, 6);
        Assert.Equal(delayMs + g.Rtt.TotalMilliseconds, g.PlayoutDeadline.TotalMilliseconds, 6);
    }

    [Fact]
    public void A_retransmission_ahead_of_its_media_packet_is_a_repair_without_a_request()
    {
        var g = Create();
        Assert.Equal(NackOutcome.InOrder, g.OnPacket(10, keyframe: true));
        _clock.Advance(TimeSpan.FromMilliseconds(2));
        // 11 comes as RTX (the sender's probe padding) before 11 itself ever arrived.
        Assert.Equal(NackOutcome.Recovered, g.OnPacket(11, keyframe: false, retransmitted: true));
        Assert.Equal(1, g.Recovered);
        Assert.True(g.LastRepairInTime);
        Assert.Empty(Poll(g));
        // The media copy that follows late is old news, and the stream goes on in order.
        Assert.Equal(NackOutcome.Old, g.OnPacket(11, keyframe: false));
        Assert.Equal(NackOutcome.InOrder, g.OnPacket(12, keyframe: false));
    }
}
