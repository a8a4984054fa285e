using Sfu.Streams.Recovery;

namespace Sfu.Streams.Tests.Recovery;

/// <summary>
/// When a lost packet was expected (the start of its repair deadline), early requests for a stream's next packet,
/// and the breakdown of late repairs by cause.
/// </summary>
public class NackGeneratorDeadlineTests
{
    // 20 fps at the 90 kHz video clock.
    private const uint FrameTicks = 4500;
    private readonly ManualTime _clock = new();

    private NackGenerator Create(NackSettings? settings = null) =>
        new(_clock, (settings ?? NackSettings.Default) with { PlayoutDelay = TimeSpan.FromMilliseconds(50) }, clockRate: 90_000);

    private static ushort[] Poll(NackGenerator g)
    {
        var dest = new ushort[64];
        return dest[..g.Poll(dest)];
    }

    private void Advance(double ms) => _clock.Advance(TimeSpan.FromMilliseconds(ms));

    [Fact]
    public void A_lost_first_packet_of_a_frame_is_expected_with_its_frame_not_with_the_previous_one()
    {
        var g = Create();
        g.OnPacket(1, false, marker: true, timestamp: 0);
        // The next frame, 50 ms of RTP time later; its first packet (2) is lost, its second arrives 50 ms on.
        Advance(50);
        Assert.Equal(NackOutcome.Gap, g.OnPacket(3, false, marker: true, timestamp: FrameTicks));
        Advance(80);
        Assert.Equal(NackOutcome.Recovered, g.OnPacket(2, false, retransmitted: true));
        // Expected 50 ms after packet 1 (when packet 3 came), so 80 ms late, not 130.
        Assert.Equal(TimeSpan.FromMilliseconds(80), g.LastRepairLatency);
        Assert.Equal(TimeSpan.Zero, g.LastRepairDetection);
    }

    [Fact]
    public void The_packet_after_the_gap_bounds_the_expected_arrival_when_it_came_sooner_than_its_rtp_time()
    {
        var g = Create();
        g.OnPacket(1, false, marker: true, timestamp: 0);
        // RTP time says 50 ms, but the packet came after 30 (capture jitter): the lost packet was due by then.
        Advance(30);
        g.OnPacket(3, false, marker: true, timestamp: FrameTicks);
        Advance(40);
        g.OnPacket(2, false, retransmitted: true);
        Assert.Equal(TimeSpan.FromMilliseconds(40), g.LastRepairLatency);
    }

    [Fact]
    public void A_frame_lost_whole_is_expected_one_frame_interval_after_the_previous_frame()
    {
        var g = Create();
        g.OnPacket(1, false, marker: true, timestamp: 0);
        Advance(50);
        // Back to back: 50 ms of RTP time is this stream's frame interval.
        g.OnPacket(2, false, marker: true, timestamp: FrameTicks);
        Advance(100);
        // Frame 3 (packet 3) lost whole; frame 4 arrives two frames after frame 2.
        Assert.Equal(NackOutcome.Gap, g.OnPacket(4, false, marker: true, timestamp: 3 * FrameTicks));
        Advance(60);
        g.OnPacket(3, false, retransmitted: true);
        // Expected 50 ms after packet 2, i.e. 50 ms before the gap showed: 110 ms late, not 60 (or 160).
        Assert.Equal(TimeSpan.FromMilliseconds(110), g.LastRepairLatency);
        Assert.Equal(TimeSpan.FromMilliseconds(50), g.LastRepairDetection);
    }

    [Fact]
    public void After_a_pause_a_lost_packet_is_expected_at_most_one_frame_per_lost_packet_before_the_next()
    {
        var g = Create();
        g.OnPacket(1, false, marker: true, timestamp: 0);
        Advance(50);
        g.OnPacket(2, false, marker: true, timestamp: FrameTicks);
        // The layer pauses for 10 s (RTP time runs on), then resumes; its first packet back is lost.
        Advance(10_000);
        g.OnPacket(4, false, marker: true, timestamp: FrameTicks * 202);
        Advance(60);
        g.OnPacket(3, false, retransmitted: true);
        // One lost packet is at most one frame before packet 4, not a frame after packet 2.
        Assert.Equal(TimeSpan.FromMilliseconds(110), g.LastRepairLatency);
    }

    [Fact]
    public void The_first_rtt_measurement_replaces_the_initial_guess()
    {
        var g = Create(NackSettings.Default with { InitialRtt = TimeSpan.FromMilliseconds(100) });
        g.OnPacket(1, false);
        g.OnPacket(3, false);
        g.OnPacket(5, false);
        Assert.Equal(new ushort[] { 2, 4 }, Poll(g));
        Advance(52);
        g.OnPacket(2, false, retransmitted: true);
        Assert.Equal(TimeSpan.FromMilliseconds(52), g.Rtt);
        Advance(8);
        g.OnPacket(4, false, retransmitted: true);
        // Then the median of the samples: of two, their mean.
        Assert.Equal(TimeSpan.FromMilliseconds(56), g.Rtt);
    }

    [Fact]
    public void Retransmissions_that_come_back_too_soon_to_be_answers_do_not_drag_the_rtt_down()
    {
        var g = Create(NackSettings.Default with { InitialRtt = TimeSpan.FromMilliseconds(100) });
        long seq = 1;
        g.OnPacket(seq, false);
        void Repair(int afterMs)
        {
            g.OnPacket(seq + 2, false);
            Poll(g);
            Advance(afterMs);
            g.OnPacket(seq + 1, false, retransmitted: true);
            seq += 2;
        }
        foreach (var ms in new[] { 50, 52, 48, 51, 49 }) Repair(ms);
        // Two RTX copies that libwebrtc sent unasked (probe padding), arriving 3 ms after our request.
        Repair(3);
        Repair(3);
        Assert.Equal(TimeSpan.FromMilliseconds(49), g.Rtt);
        // A real change of path still shows once it is most of the samples.
        foreach (var ms in new[] { 120, 121, 119, 122, 118 }) Repair(ms);
        Assert.True(g.Rtt >= TimeSpan.FromMilliseconds(118), $"RTT {g.Rtt}");
    }

    [Fact]
    public void When_the_transport_numbers_tell_when_a_lost_packet_was_sent_it_is_expected_then()
    {
        var g = Create();
        g.OnPacket(1, false, marker: true, timestamp: 0);
        var sent = _clock.GetTimestamp();
        Advance(30);
        var before = _clock.GetTimestamp();
        Advance(70);
        // Two frames of RTP time: by timestamps alone packet 2 would be expected 50 ms after packet 1; the transport
        // numbers say it was sent after a packet that arrived 30 ms after packet 1.
        g.OnPacket(3, false, marker: true, timestamp: 2 * FrameTicks, sentAfter: before);
        Advance(50);
        g.OnPacket(2, false, retransmitted: true);
        Assert.Equal(TimeSpan.FromMilliseconds(120), g.LastRepairLatency);
        // Never before the packet before the gap, never after the packet that showed it.
        var h = Create();
        h.OnPacket(1, false, marker: false);
        Advance(10);
        h.OnPacket(3, false, sentAfter: sent);
        Advance(10);
        h.OnPacket(2, false, retransmitted: true);
        Assert.Equal(TimeSpan.FromMilliseconds(20), h.LastRepairLatency);
    }

    [Fact]
    public void A_loss_inside_a_frame_is_expected_with_the_packet_before_the_gap()
    {
        var g = Create();
        g.OnPacket(1, false, marker: false, timestamp: 0);
        Advance(5);
        g.OnPacket(3, false, marker: true, timestamp: 0);
        Advance(60);
        g.OnPacket(2, false, retransmitted: true);
        Assert.Equal(TimeSpan.FromMilliseconds(65), g.LastRepairLatency);
    }

    [Fact]
    public void Without_rtp_timestamps_a_lost_first_packet_is_expected_with_the_previous_frame()
    {
        var g = Create();
        g.OnPacket(1, false, marker: true);
        Advance(50);
        g.OnPacket(3, false, marker: true);
        Advance(80);
        g.OnPacket(2, false, retransmitted: true);
        Assert.Equal(TimeSpan.FromMilliseconds(130), g.LastRepairLatency);
    }

    [Fact]
    public void A_next_packet_suspected_lost_is_asked_for_once_and_a_retransmission_repairs_it()
    {
        var g = Create();
        g.OnPacket(10, false, marker: false, timestamp: 0);
        var packet10 = _clock.GetTimestamp();
        Advance(15);
        // Not the next packet, or before anything was received: refused.
        Assert.False(g.SuspectNextLost(12, packet10));
        Assert.True(g.SuspectNextLost(11, packet10));
        Assert.False(g.SuspectNextLost(11, packet10));
        Assert.Equal(new ushort[] { 11 }, Poll(g));
        Assert.Empty(Poll(g));
        Assert.Equal(0, g.MissingCount);
        Advance(55);
        Assert.Equal(NackOutcome.Recovered, g.OnPacket(11, false, marker: true, retransmitted: true, timestamp: 0));
        Assert.Equal(TimeSpan.FromMilliseconds(70), g.LastRepairLatency);
        Assert.Equal(TimeSpan.FromMilliseconds(15), g.LastRepairDetection);
        Assert.Equal(1, g.TailProbes);
        Assert.Equal(1, g.TailProbesRepaired);
        Assert.True(g.LastRepairInTime);
    }

    [Fact]
    public void A_suspected_packet_that_arrives_as_itself_was_not_lost()
    {
        var g = Create();
        g.OnPacket(10, false, marker: false);
        Assert.True(g.SuspectNextLost(11, _clock.GetTimestamp()));
        Assert.Equal(new ushort[] { 11 }, Poll(g));
        Assert.Equal(NackOutcome.InOrder, g.OnPacket(11, false, marker: true));
        Assert.Equal(0, g.Recovered);
        Assert.Equal(0, g.TailProbesRepaired);
        // The sender's retransmission of it, if any, is a duplicate.
        Assert.Equal(NackOutcome.Old, g.OnPacket(11, false, retransmitted: true));
    }

    [Fact]
    public void A_suspected_packet_still_missing_when_the_stream_moves_on_is_asked_for_again_at_once()
    {
        var g = Create(NackSettings.Default with { InitialRtt = TimeSpan.FromMilliseconds(50), RetryMargin = TimeSpan.FromMilliseconds(10) });
        g.OnPacket(10, false, marker: false, timestamp: 0);
        Assert.True(g.SuspectNextLost(11, _clock.GetTimestamp()));
        Assert.Equal(new ushort[] { 11 }, Poll(g));
        Advance(40);
        // The next frame: 11 (asked for already, maybe before it was sent, so the sender ignored it) and 12 are missing.
        Assert.Equal(NackOutcome.Gap, g.OnPacket(13, false, marker: true, timestamp: FrameTicks));
        Assert.Equal(new ushort[] { 11, 12 }, Poll(g));
        Advance(59);
        Assert.Empty(Poll(g));
        Advance(1);
        Assert.Equal(new ushort[] { 11, 12 }, Poll(g));
        // The answer cannot tell which request it answers: no RTT sample from it.
        Advance(10);
        g.OnPacket(11, false, retransmitted: true);
        Assert.Equal(TimeSpan.FromMilliseconds(50), g.Rtt);
        Assert.Equal(1, g.RecoveredAfterRetry);
    }

    [Fact]
    public void A_suspicion_not_yet_sent_when_the_stream_moves_on_becomes_a_plain_gap()
    {
        var g = Create();
        g.OnPacket(10, false, marker: false);
        Assert.True(g.SuspectNextLost(11, _clock.GetTimestamp()));
        Assert.Equal(NackOutcome.Gap, g.OnPacket(12, false));
        Assert.Equal(new ushort[] { 11 }, Poll(g));
        Assert.Equal(1, g.Requested);
        Assert.Equal(0, g.TailProbes);
    }

    [Fact]
    public void Late_repairs_are_counted_by_cause()
    {
        var g = Create(NackSettings.Default with { InitialRtt = TimeSpan.FromMilliseconds(50), RetryMargin = TimeSpan.Zero });
        g.OnPacket(1, false);
        g.OnPacket(3, false);
        g.OnPacket(5, false);
        Assert.Equal(new ushort[] { 2, 4 }, Poll(g));
        // 2 answered after 40 ms: RTT 40, deadline 90 ms.
        Advance(40);
        g.OnPacket(2, false, retransmitted: true);
        Assert.True(g.LastRepairInTime);
        Assert.Equal(TimeSpan.FromMilliseconds(40), g.Rtt);
        // 4: one request, answered 160 ms after its expected arrival; its own sample moves the RTT to 100 (the median of
        // 40 and 160), the deadline to 150.
        Advance(120);
        g.OnPacket(4, false, retransmitted: true);
        Assert.False(g.LastRepairInTime);
        Assert.Equal(1, g.LateAfterOneRequest);
        Assert.Equal(0, g.LateAfterRetry);
        Assert.Equal(0, g.LateUnrequested);
        Assert.Equal(2, g.Recovered);
        Assert.Equal(1, g.RecoveredInTime);
    }
}
