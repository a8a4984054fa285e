using System.Buffers.Binary;
using Sfu.Streams.Bandwidth;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Tests.Bandwidth;

public class PublisherFeedbackTests
{
    private const byte WideCcId = 3;
    private const long Start = 1_000_000_000;

    /// <summary>An RTP packet with a one-byte header extension (RFC 8285 §4.2) carrying a transport-wide sequence number.</summary>
    internal static byte[] Packet(ushort transportSequence, uint ssrc = 0x1234, byte id = WideCcId, int payload = 100)
    {
        var packet = new byte[12 + 8 + payload];
        packet[0] = 0x90;
        packet[1] = 96;
        // The RTP sequence number follows the transport-wide one: packets of one SSRC are never repeats of each other.
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), transportSequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        packet[12] = 0xBE;
        packet[13] = 0xDE;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), 1);
        packet[16] = (byte)(id << 4 | 1);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(17), transportSequence);
        return packet;
    }

    private static void Feed(PublisherFeedback feedback, ushort sequence, long arrival)
    {
        var data = Packet(sequence);
        Assert.True(RtpHeader.TryParse(data, out var header));
        feedback.OnPacket(data, header, arrival);
    }

    private static TransportCcFeedback Parse(Sfu.WebRtc.Transport.MediaPacket packet)
    {
        Assert.True(packet.IsRtcp);
        Assert.True(TransportCcFeedback.TryParse(packet.Span, out var parsed));
        return parsed;
    }

    [Fact]
    public void Feedback_waits_for_the_interval_then_reports_every_arrival_and_the_losses_between()
    {
        var feedback = new PublisherFeedback(0xABCD, WideCcId);
        Assert.Null(feedback.TryBuild(Start));
        // 100 is lost (policed before ingress); 103 arrives before 102.
        (ushort Seq, long At)[] arrivals = [(99, 0), (101, 2_000), (103, 4_000), (102, 4_250), (104, 9_000)];
        foreach (var (seq, at) in arrivals) Feed(feedback, seq, Start + at);

        var first = feedback.TryBuild(Start + 10_000);
        Assert.NotNull(first);
        var parsed = Parse(first!);
        first!.Release();
        Assert.Equal(0xABCDu, parsed.SenderSsrc);
        Assert.Equal((ushort)99, parsed.BaseSequenceNumber);
        Assert.Equal(6, parsed.PacketStatusCount);
        var received = arrivals.ToDictionary(a => a.Seq, a => Start + a.At);
        var firstReceive = 0L;
        foreach (var status in parsed)
        {
            Assert.Equal(received.ContainsKey(status.SequenceNumber), status.Received);
            if (!status.Received) continue;
            if (status.SequenceNumber == 99) firstReceive = status.ReceiveTimeMicros;
            // Deltas are in 250 µs ticks; what matters to the sender's trendline is the spacing between arrivals.
            Assert.InRange(status.ReceiveTimeMicros - firstReceive - (received[status.SequenceNumber] - Start), -250, 250);
        }

        Feed(feedback, 105, Start + 20_000);
        Assert.Null(feedback.TryBuild(Start + 20_000 + (long)PublisherFeedback.Interval.TotalMicroseconds / 2));
        var second = feedback.TryBuild(Start + 10_000 + (long)PublisherFeedback.Interval.TotalMicroseconds);
        Assert.NotNull(second);
        var next = Parse(second!);
        second!.Release();
        Assert.Equal((ushort)105, next.BaseSequenceNumber);
        Assert.Equal(1, next.FeedbackPacketCount);
        Assert.Equal(2, feedback.FeedbackPacketsSent);
    }

    [Fact]
    public void Many_pending_packets_are_reported_before_the_interval()
    {
        var feedback = new PublisherFeedback(1, WideCcId);
        Feed(feedback, 0, Start);
        feedback.TryBuild(Start)!.Release();
        for (var i = 1; i < PublisherFeedback.PendingLimit; i++) Feed(feedback, (ushort)i, Start + i * 100);
        Assert.Null(feedback.TryBuild(Start + 1_000));
        Feed(feedback, PublisherFeedback.PendingLimit, Start + 7_000);
        var early = feedback.TryBuild(Start + 1_000);
        Assert.NotNull(early);
        Assert.Equal(PublisherFeedback.PendingLimit, Parse(early!).PacketStatusCount);
        early!.Release();
    }

    [Fact]
    public void A_span_too_long_for_one_datagram_is_split_and_the_rest_goes_on_the_next_tick()
    {
        var feedback = new PublisherFeedback(1, WideCcId);
        // Every other number lost over 3000 numbers: no run-length chunks and 1500 deltas, more than one MTU holds.
        for (var i = 0; i < 3000; i += 2) Feed(feedback, (ushort)(65000 + i), Start + i * 300);
        var covered = 0;
        var datagrams = 0;
        while (feedback.TryBuild(Start + 2_000_000) is { } packet)
        {
            datagrams++;
            Assert.InRange(packet.Length, 1, 1500);
            var span = packet.Span;
            while (span.Length > 0)
            {
                Assert.True(TransportCcFeedback.TryParse(span, out var part));
                covered += part.PacketStatusCount;
                span = span[((BinaryPrimitives.ReadUInt16BigEndian(span[2..]) + 1) * 4)..];
            }
            packet.Release();
            Assert.True(datagrams < 10);
        }
        Assert.True(datagrams > 1, $"{datagrams} datagrams");
        // Each feedback starts at a received packet (TransportCcFeedback.Write), so the one lost number at each split
        // point is reported by neither side of it; the sender never acknowledges it, which GCC tolerates.
        Assert.Equal(2999 - (datagrams - 1), covered);
    }

    [Fact]
    public void Packets_without_the_extension_are_counted_and_ignored()
    {
        var feedback = new PublisherFeedback(1, WideCcId);
        var other = Packet(7, id: 5);
        Assert.True(RtpHeader.TryParse(other, out var header));
        feedback.OnPacket(other, header, Start);
        Assert.Equal(1, feedback.PacketsWithoutSequence);
        Assert.Null(feedback.TryBuild(Start + 1_000_000));
    }

    [Fact]
    public void Random_and_truncated_packets_never_throw()
    {
        var random = new Random(5);
        var feedback = new PublisherFeedback(1, WideCcId);
        var buffer = new byte[200];
        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(0, buffer.Length);
            random.NextBytes(buffer);
            if (i % 2 == 0) Packet((ushort)i).AsSpan(0, Math.Min(length, 120)).CopyTo(buffer);
            if (!RtpHeader.TryParse(buffer.AsSpan(0, length), out var header)) continue;
            feedback.OnPacket(buffer.AsSpan(0, length), header, Start + i * 1_000);
            if (i % 50 == 0) feedback.TryBuild(Start + i * 1_000)?.Release();
        }
    }
}
