using System.Buffers.Binary;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Pipeline;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Forwarding;

/// <summary>Transport-wide numbering on egress, feedback into the estimator, and padding probes from a down-track.</summary>
public sealed class SubscriberBandwidthTests : IDisposable
{
    private const byte TccId = 3;
    private readonly RtpTestHarness _h = new();
    private readonly ManualTime _clock = new();

    public void Dispose() => _h.Dispose();

    private (UpTrack Track, MediaSession Publisher, MediaSession Subscriber, DownTrack Down) Setup()
    {
        var (pt, _, _) = _h.KeyedTransport();
        var publisher = _h.Session(pt);
        var track = new UpTrack("TR_1", "PA_pub", "camera", RtpTestHarness.VideoTrack("0", 0xAAAA), publisher, _clock);
        publisher.AddUpTrack(track);
        var (st, _, _) = _h.KeyedTransport();
        var subscriber = _h.Session(st);
        subscriber.Bandwidth = new SubscriberBandwidth(_clock, TccId);
        var down = new DownTrack(track, subscriber, 0xBBBB, 96, new Dictionary<int, int>(), _clock) { TransportCcExtensionId = TccId };
        subscriber.AddDownTrack(down);
        track.Add(down);
        return (track, publisher, subscriber, down);
    }

    private void Send(MediaSession publisher, UpTrack track, byte[] bytes)
    {
        var packet = MediaPacket.CopyOf(bytes);
        RtpHeader.TryParse(packet.Span, out var header);
        var stream = publisher.ResolveReceiveStream(packet.Span, header)!;
        packet.ExtendedSequence = stream.OnPacket(packet.Span, header, _clock.GetTimestamp(), 0, out var key);
        packet.IsKeyframe = key;
        packet.Route = stream;
        track.Forward(packet);
        packet.Release();
    }

    private static bool Sleep(int ms)
    {
        Thread.Sleep(ms);
        return true;
    }

    private static List<MediaPacket> Drain(MediaQueue q)
    {
        var list = new List<MediaPacket>();
        while (q.Reader.TryRead(out var p)) list.Add(p);
        return list;
    }

    private static ushort? TransportSequence(MediaPacket p)
    {
        Assert.True(RtpHeader.TryParse(p.Span, out var h));
        return RtpHeaderExtensions.TryFind(p.Span, h, TccId, out var v) && v.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(v) : null;
    }

    [Fact]
    public void Forwarded_packets_carry_a_placeholder_that_egress_numbers_in_send_order()
    {
        var (track, publisher, subscriber, _) = Setup();
        Send(publisher, track, RtpTestHarness.Vp8Packet(0xAAAA, 10, 0, keyframe: true));
        Send(publisher, track, RtpTestHarness.Vp8Packet(0xAAAA, 11, 0, keyframe: false));
        var packets = Drain(subscriber.Egress).Where(p => !p.IsRtcp).ToList();
        Assert.Equal(2, packets.Count);
        Assert.All(packets, p => Assert.Equal((ushort)0, TransportSequence(p)));
        foreach (var p in packets) Assert.True(subscriber.Bandwidth!.Stamp(p.Buffer.AsSpan(0, p.Length), p.Length));
        Assert.Equal([(ushort)1, (ushort)2], packets.Select(p => TransportSequence(p)!.Value));
        Assert.Equal(2, subscriber.Bandwidth!.Sequencer.Count);
    }

    [Fact]
    public void Inline_egress_numbers_packets_before_protecting_them()
    {
        var (track, publisher, _, _) = Setup();
        var (t, _, _) = _h.KeyedTransport();
        var inline = new MediaSession(t, _clock, 256, 0, "inline") { InlineEgress = true, Bandwidth = new SubscriberBandwidth(_clock, TccId) };
        var down = new DownTrack(track, inline, 0xCCCC, 96, new Dictionary<int, int>(), _clock) { TransportCcExtensionId = TccId };
        inline.AddDownTrack(down);
        track.Add(down);
        Send(publisher, track, RtpTestHarness.Vp8Packet(0xAAAA, 10, 0, keyframe: true));
        Send(publisher, track, RtpTestHarness.Vp8Packet(0xAAAA, 11, 0, keyframe: false));
        // No remote address, so the datagrams are not sent, but they were numbered on the way.
        Assert.Equal(2, inline.Bandwidth!.Sequencer.Count);
        Assert.True(inline.Bandwidth.Sequencer.TryGet((ushort)2, out _));
    }

    [Fact]
    public void Stamp_refuses_packets_without_the_extension_and_garbage()
    {
        var bandwidth = new SubscriberBandwidth(_clock, TccId);
        Assert.False(bandwidth.Stamp(RtpTestHarness.Vp8Packet(1, 1, 1, false), 100));
        Assert.False(bandwidth.Stamp(RtpTestHarness.Vp8Packet(1, 1, 1, false, mid: "0"), 100));
        var rng = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var junk = new byte[rng.Next(0, 64)];
            rng.NextBytes(junk);
            bandwidth.Stamp(junk, junk.Length);
        }
        bandwidth.OnFeedback(new byte[] { 0x8F, 205, 0, 1 });
        Assert.Equal(0, bandwidth.FeedbackPacketsIn);
    }

    [Fact]
    public void Transport_cc_feedback_reaches_the_estimator_through_rtcp_handling()
    {
        var (track, publisher, subscriber, _) = Setup();
        var bandwidth = subscriber.Bandwidth!;
        var arrivals = new List<TransportCcArrival>();
        for (ushort i = 0; i < 40; i++)
        {
            Send(publisher, track, RtpTestHarness.Vp8Packet(0xAAAA, (ushort)(100 + i), (uint)(i * 3000), keyframe: i == 0));
            foreach (var p in Drain(subscriber.Egress).Where(p => !p.IsRtcp))
            {
                bandwidth.Stamp(p.Buffer.AsSpan(0, p.Length), p.Length);
                arrivals.Add(new TransportCcArrival(TransportSequence(p)!.Value, 1_000_000 + i * 5_000));
            }
            _clock.Advance(TimeSpan.FromMilliseconds(5));
        }
        var buffer = new byte[1500];
        var n = TransportCcFeedback.Write(buffer, 0x1234, 0xBBBB, 0, arrivals.ToArray());
        Assert.True(n > 0);
        RtcpFeedback.Handle(subscriber, buffer.AsSpan(0, n), _clock.GetTimestamp());
        Assert.Equal(1, bandwidth.FeedbackPacketsIn);
        Assert.Equal(arrivals.Count, bandwidth.Estimator.FeedbackPackets);
        Assert.True(bandwidth.Estimator.AcknowledgedBps >= 0);
    }

    [Fact]
    public void A_probe_is_sent_as_padding_after_a_frame_end_and_media_numbering_continues_after_it()
    {
        var (track, publisher, subscriber, down) = Setup();
        var first = RtpTestHarness.Vp8Packet(0xAAAA, 500, 9000, keyframe: true);
        first[1] |= 0x80; // marker: end of frame
        Send(publisher, track, first);
        // Paced: only the first 5 ms burst leaves with the frame end; a timer sends the rest (ProbeSchedule).
        var firstBurst = down.PaddingPacketsSent;
        Assert.True(firstBurst >= 1);
        // The pacing timer is a real one (ManualTime has none), and a busy thread pool may run it late: wait for the
        // cluster's minimum size, then until 500 ms pass without a new burst (a starved pool has delayed a burst by more than 200 ms).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long seen;
        do
        {
            seen = down.PaddingPacketsSent;
            Thread.Sleep(500);
        }
        while ((down.ProbeInFlight || down.PaddingPacketsSent != seen || seen < 30) && DateTime.UtcNow < deadline);
        Send(publisher, track, RtpTestHarness.Vp8Packet(0xAAAA, 501, 12000, keyframe: false));
        // A burst numbered but not yet queued when the queue is read would look like a gap: read until all are there.
        var packets = new List<MediaPacket>();
        var until = DateTime.UtcNow.AddSeconds(5);
        do packets.AddRange(Drain(subscriber.Egress).Where(p => !p.IsRtcp));
        while (packets.Count < down.PaddingPacketsSent + 2 && DateTime.UtcNow < until && Sleep(20));
        var headers = packets.Select(p => { RtpHeader.TryParse(p.Span, out var h); return h; }).ToList();

        // The estimator starts in its initial probing state, so the first frame end triggers a cluster.
        Assert.True(down.PaddingPacketsSent >= 30, $"padding sent {down.PaddingPacketsSent}, first burst {firstBurst}, packets {packets.Count}");
        // Paced: what left with the frame end was only part of the cluster (the timer may have sent a burst or two
        // more before the first count was read, never all of it: the last burst is 20 ms later at the earliest).
        Assert.True(firstBurst < down.PaddingPacketsSent, $"first burst {firstBurst} of {down.PaddingPacketsSent}");
        Assert.Equal(down.PaddingPacketsSent + 2, packets.Count);
        var order = string.Join(' ', headers.Select(h => h.Padding ? $"p{h.SequenceNumber}" : $"M{h.SequenceNumber}"));
        for (var i = 1; i < headers.Count; i++)
            Assert.True((ushort)(headers[i - 1].SequenceNumber + 1) == headers[i].SequenceNumber, $"not consecutive at {i}: {order}");
        var padding = headers.Skip(1).Take((int)down.PaddingPacketsSent).ToList();
        Assert.All(padding, h => Assert.True(h.Padding && h.PayloadLength == 0 && h.Timestamp == headers[0].Timestamp && h.Ssrc == 0xBBBB));
        Assert.All(packets.Skip(1).Take(padding.Count), p => Assert.True(p.ProbeClusterId >= 0));
        Assert.Equal(-1, packets[^1].ProbeClusterId);
        Assert.All(packets, p => Assert.NotNull(TransportSequence(p)));
    }
}
