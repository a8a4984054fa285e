using Sfu.Streams.Recovery;

namespace Sfu.Streams.Tests.Recovery;

/// <summary>Scripted arrivals of one connection's packets (transport-wide number, SSRC, own number).</summary>
public class TransportLossDetectorTests
{
    private const uint Video = 0xA1, Audio = 0xB1, Rtx = 0xC1, Video2 = 0xA2;
    // Timestamps in ms (frequency 1000), so the 60 ms activity window reads as 60.
    private readonly TransportLossDetector<string> _detector = new(TimeSpan.FromMilliseconds(60), timestampFrequency: 1000);
    private readonly TailLoss<string>[] _found = new TailLoss<string>[4];
    private long _sentAfter;

    private TailLoss<string>[] Arrive(ushort transport, uint ssrc, ushort sequence, long atMs, bool marker = false)
    {
        var tracked = ssrc switch { Video => "video", Video2 => "video2", _ => null };
        var n = _detector.OnPacket(transport, ssrc, sequence, marker, repair: ssrc == Rtx, tracked, atMs, _found, out _sentAfter);
        return _found[..n];
    }

    [Fact]
    public void A_hole_after_the_video_stream_that_audio_does_not_explain_is_its_next_packet()
    {
        Arrive(100, Audio, 500, 0);
        Arrive(101, Video, 7000, 5);
        // 102 (video 7001) lost; audio 501 follows without a gap of its own.
        var found = Assert.Single(Arrive(103, Audio, 501, 20));
        Assert.Equal(new TailLoss<string>("video", 7001, 5), found);
        // Reported once per newest video packet.
        Assert.Empty(Arrive(104, Audio, 502, 40));
        Assert.Equal(1, _detector.Reported);
    }

    [Fact]
    public void The_expected_arrival_is_that_of_the_packet_sent_just_before_the_first_hole()
    {
        Arrive(100, Audio, 500, 0);
        Arrive(101, Video, 7000, 5);
        Arrive(102, Audio, 501, 9);
        // 103 lost; the next audio packet says it was not audio.
        var found = Assert.Single(Arrive(104, Audio, 502, 29));
        Assert.Equal(9, found.ExpectedAt);
    }

    [Fact]
    public void The_expected_arrival_skips_holes_another_stream_s_jump_explains()
    {
        Arrive(100, Audio, 500, 0);
        Arrive(101, Video2, 900, 1, marker: true);
        Arrive(102, Video, 7000, 2, marker: true);
        // 103 is the other layer's (its numbers jump over it), 105 the watched stream's next frame's first packet.
        Arrive(104, Video2, 902, 30, marker: false);
        Arrive(106, Video2, 903, 31, marker: true);
        var found = Assert.Single(Arrive(107, Audio, 501, 40));
        Assert.Equal(new TailLoss<string>("video", 7001, 30), found);
    }

    [Fact]
    public void One_hole_is_reported_for_one_stream_only_the_one_mid_frame_first()
    {
        Arrive(100, Audio, 500, 0);
        Arrive(101, Video, 7000, 1, marker: true);
        Arrive(102, Video2, 900, 2, marker: false);
        // 103 lost: either stream's next packet; the one with an unfinished frame is the likelier owner.
        var found = Assert.Single(Arrive(104, Audio, 501, 20));
        Assert.Equal("video2", found.Stream);
    }

    [Fact]
    public void A_packet_after_its_own_gap_learns_when_the_lost_ones_were_sent()
    {
        Arrive(100, Audio, 500, 0);
        Arrive(101, Video, 7000, 5, marker: true);
        Arrive(102, Audio, 501, 20);
        Arrive(103, Audio, 502, 40);
        // 104 (video 7001, a frame of its own sent late, just before the next) lost; 105 is video 7002.
        Arrive(105, Video, 7002, 55, marker: true);
        Assert.Equal(40, _sentAfter);
        // In order: nothing to tell.
        Arrive(106, Video, 7003, 60);
        Assert.Equal(0, _sentAfter);
    }

    [Fact]
    public void A_hole_the_audio_stream_lost_is_not_the_video_stream_s()
    {
        Arrive(100, Audio, 500, 0);
        Arrive(101, Video, 7000, 5);
        // 102 was audio 501: the audio numbers jump over it.
        Assert.Empty(Arrive(103, Audio, 502, 40));
        // Video goes on in order: nothing was lost on it.
        Assert.Empty(Arrive(104, Video, 7001, 50));
        Assert.Equal(0, _detector.Reported);
    }

    [Fact]
    public void Two_holes_and_one_audio_loss_leave_one_for_the_video_stream()
    {
        Arrive(100, Audio, 500, 0);
        Arrive(101, Video, 7000, 5);
        Assert.Single(Arrive(104, Audio, 502, 40));
    }

    [Fact]
    public void A_hole_is_not_judged_before_the_active_audio_stream_has_sent_past_it()
    {
        Arrive(100, Audio, 500, 0);
        Arrive(101, Video, 7000, 5);
        Arrive(102, Video, 7001, 6);
        // 103 lost, then an RTX packet: audio, active, has not sent since, so 103 may be audio.
        Assert.Empty(Arrive(104, Rtx, 30, 10));
        var found = Assert.Single(Arrive(105, Audio, 501, 20));
        Assert.Equal(7002, found.Sequence);
    }

    [Fact]
    public void A_quiet_stream_is_not_waited_for()
    {
        // A paused layer sent long ago; audio is active.
        Arrive(10, Video2, 30, 0);
        Arrive(100, Audio, 500, 200);
        Arrive(101, Video, 7000, 205);
        Assert.Single(Arrive(103, Audio, 501, 220));
    }

    [Fact]
    public void Repair_streams_and_video_streams_between_frames_are_not_waited_for_but_mid_frame_ones_are()
    {
        Arrive(100, Audio, 500, 0);
        Arrive(101, Video2, 900, 1, marker: true);
        // The watched stream, mid-frame: 103 may be its next packet.
        Arrive(102, Video, 7000, 2, marker: false);
        // Audio says 103 was not audio; the other layer ended its frame and the RTX stream only answers losses, so
        // neither is waited for: 103 was the watched stream's.
        Arrive(103, Rtx, 40, 3);
        var found = Assert.Single(Arrive(105, Audio, 501, 15));
        Assert.Equal(new TailLoss<string>("video", 7001, 3), found);
    }

    [Fact]
    public void A_video_stream_in_the_middle_of_a_frame_is_waited_for()
    {
        Arrive(100, Audio, 500, 0);
        Arrive(101, Video2, 900, 1, marker: false);
        Arrive(102, Video, 7000, 2, marker: true);
        Arrive(103, Audio, 501, 20);
        // 104 lost: the layer mid-frame is the likelier owner, and the watched stream is not judged until it sent.
        var found = Assert.Single(Arrive(105, Audio, 502, 40));
        Assert.Equal("video2", found.Stream);
        Assert.Empty(Arrive(106, Video2, 902, 41, marker: true));
        // Its numbers jumped over 104: explained, nothing is asked of the watched stream.
        Assert.Empty(Arrive(107, Audio, 503, 60));
        Assert.Equal(1, _detector.Reported);
    }

    [Fact]
    public void No_report_without_a_hole_or_when_the_video_stream_s_own_packet_follows()
    {
        Arrive(100, Audio, 500, 0);
        Arrive(101, Video, 7000, 5);
        Assert.Empty(Arrive(102, Audio, 501, 20));
        // 103 lost but video's next packet is 104: its own numbers show whether it lost anything.
        Assert.Empty(Arrive(104, Video, 7001, 30));
        Assert.Empty(Arrive(105, Audio, 502, 40));
        Assert.Equal(0, _detector.Reported);
    }

    [Fact]
    public void Transport_numbers_wrap_at_65536()
    {
        Arrive(65534, Audio, 500, 0);
        Arrive(65535, Video, 7000, 5);
        var found = Assert.Single(Arrive(1, Audio, 501, 20));
        Assert.Equal(7001, found.Sequence);
    }

    [Fact]
    public void Own_sequence_numbers_wrap_at_65536()
    {
        Arrive(100, Audio, 65535, 0);
        Arrive(101, Video, 65535, 5);
        Assert.Empty(Arrive(102, Audio, 0, 20));
        var found = Assert.Single(Arrive(104, Audio, 1, 40));
        Assert.Equal(0, found.Sequence);
    }

    [Fact]
    public void A_late_or_duplicate_packet_fills_its_hole_and_reports_nothing()
    {
        Arrive(100, Audio, 500, 0);
        Arrive(102, Video, 7000, 5);
        Assert.Empty(Arrive(101, Audio, 499, 6));
        Assert.Empty(Arrive(101, Audio, 499, 6));
        Assert.Empty(Arrive(103, Audio, 501, 20));
        Assert.Equal(0, _detector.Reported);
    }

    /// <summary>
    /// A publisher's send order over a lossy path: 20 fps video in frames of 1-6 packets, audio every 20 ms. Every
    /// report must name a video packet that was really sent and lost, and most lost video packets that no later
    /// video packet revealed before the next audio packet must be reported.
    /// </summary>
    [Fact]
    public void Randomized_send_order_and_loss_give_no_false_reports()
    {
        var random = new Random(6050);
        ushort transport = 0, video = 0, audio = 0;
        var lost = new HashSet<ushort>();
        var reports = 0;
        // Lost last packets of a frame: nothing but the transport numbers shows them before the next frame.
        var tails = 0;
        for (var ms = 0; ms < 60_000; ms++)
        {
            if (ms % 20 == 0) Send(Audio, audio++, ms, last: false);
            if (ms % 50 == 0)
                for (var p = random.Next(1, 7); p > 0; p--) Send(Video, video++, ms, last: p == 1);
        }
        Assert.True(tails > 40, $"{tails} lost last packets");
        // An audio packet lost right after a lost tail leaves two holes and one audio loss: still found. Missed only
        // when the whole frame and more is gone, so the video stream's newest packet is further back.
        Assert.True(reports >= tails * 0.8, $"{reports} reports for {tails} lost last packets");
        return;

        void Send(uint ssrc, ushort sequence, long at, bool last)
        {
            var t = transport++;
            if (random.NextDouble() < 0.05)
            {
                if (ssrc == Video) lost.Add(sequence);
                if (last) tails++;
                return;
            }
            foreach (var found in Arrive(t, ssrc, sequence, at, last))
            {
                Assert.Contains(found.Sequence, lost);
                reports++;
            }
        }
    }
}
