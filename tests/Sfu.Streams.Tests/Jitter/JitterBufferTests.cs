using System.Buffers.Binary;
using Sfu.Streams.Jitter;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Jitter;

public sealed class JitterBufferTests
{
    private static readonly JitterBufferSettings Settings = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));
    private readonly ManualTime _clock = new();

    private JitterBuffer Video(JitterBufferSettings? settings = null) => new(_clock, settings ?? Settings, 90000, packetPerFrame: false);
    private JitterBuffer Audio() => new(_clock, Settings, 48000, packetPerFrame: true);

    private static MediaPacket Packet(ushort seq, uint ts, bool marker)
    {
        var data = new byte[12 + 4];
        data[0] = 0x80;
        data[1] = (byte)((marker ? 0x80 : 0) | 96);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), ts);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), 0x1234);
        return MediaPacket.CopyOf(data);
    }

    /// <summary>Frame f (0-based) of <paramref name="perFrame"/> packets, starting at sequence <paramref name="start"/>, 3000 ticks apart.</summary>
    private static IEnumerable<(ushort Seq, uint Ts, bool Marker)> Frames(ushort start, int frames, int perFrame, uint ts0 = 1000)
    {
        var seq = start;
        for (var f = 0; f < frames; f++)
            for (var p = 0; p < perFrame; p++)
                yield return (seq++, (uint)(ts0 + f * 3000), p == perFrame - 1);
    }

    private static List<ushort> TakeAll(JitterBuffer buffer)
    {
        var taken = new List<ushort>();
        while (buffer.TryTake(out var p))
        {
            taken.Add(BinaryPrimitives.ReadUInt16BigEndian(p.Span[2..]));
            p.Release();
        }
        return taken;
    }

    private static void Insert(JitterBuffer buffer, IEnumerable<(ushort Seq, uint Ts, bool Marker)> packets)
    {
        foreach (var (seq, ts, marker) in packets) buffer.Insert(Packet(seq, ts, marker));
    }

    [Fact]
    public void Reordered_packets_are_released_as_complete_frames_in_order()
    {
        var buffer = Video();
        var frames = Frames(100, 3, 3).ToList();
        // Arrival order: 100, 102, 101, 103, 105, 104, 106, 108, 107
        int[] order = [0, 2, 1, 3, 5, 4, 6, 8, 7];
        var released = new List<ushort>();
        foreach (var i in order)
        {
            buffer.Insert(Packet(frames[i].Seq, frames[i].Ts, frames[i].Marker));
            released.AddRange(TakeAll(buffer));
        }
        Assert.Equal(Enumerable.Range(100, 9).Select(i => (ushort)i), released);
        Assert.Equal(3, buffer.Counters.FramesReleased);
        Assert.Equal(0, buffer.Held);
    }

    [Fact]
    public void An_incomplete_frame_is_not_released_before_its_last_packet()
    {
        var buffer = Video();
        Insert(buffer, Frames(10, 1, 3).Take(2));
        Assert.Empty(TakeAll(buffer));
        Insert(buffer, Frames(10, 1, 3).Skip(2));
        Assert.Equal(new ushort[] { 10, 11, 12 }, TakeAll(buffer));
    }

    [Fact]
    public void A_late_packet_within_the_target_delay_is_waited_for()
    {
        var buffer = Video();
        var frames = Frames(200, 2, 2).ToList();
        buffer.Insert(Packet(frames[0].Seq, frames[0].Ts, frames[0].Marker));
        // 201 is missing; frame 2 (202, 203) is complete but must wait behind frame 1.
        buffer.Insert(Packet(frames[2].Seq, frames[2].Ts, frames[2].Marker));
        buffer.Insert(Packet(frames[3].Seq, frames[3].Ts, frames[3].Marker));
        _clock.Advance(TimeSpan.FromMilliseconds(49));
        Assert.Empty(TakeAll(buffer));
        buffer.Insert(Packet(frames[1].Seq, frames[1].Ts, frames[1].Marker));
        Assert.Equal(new ushort[] { 200, 201, 202, 203 }, TakeAll(buffer));
        Assert.Equal(0, buffer.Counters.FramesSkipped);
    }

    [Fact]
    public void After_the_target_delay_the_incomplete_frame_is_skipped_and_its_straggler_is_late()
    {
        var buffer = Video();
        var frames = Frames(300, 3, 3).ToList();
        // Frame 1 = 300..302 with 301 lost for now; frames 2 and 3 (303..308) are complete behind it.
        foreach (var f in frames.Where(f => f.Seq != 301)) buffer.Insert(Packet(f.Seq, f.Ts, f.Marker));
        Assert.Empty(TakeAll(buffer));
        _clock.Advance(TimeSpan.FromMilliseconds(49));
        Assert.Empty(TakeAll(buffer));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Enumerable.Range(303, 6).Select(i => (ushort)i), TakeAll(buffer));
        Assert.Equal(1, buffer.Counters.FramesSkipped);
        Assert.Equal(2, buffer.Counters.PacketsDropped);
        buffer.Insert(Packet(301, frames[1].Ts, false));
        Assert.Equal(1, buffer.Counters.PacketsLate);
        Assert.Empty(TakeAll(buffer));
    }

    [Fact]
    public void A_lost_first_packet_also_costs_the_frame_it_cannot_be_told_from()
    {
        var buffer = Video();
        var frames = Frames(400, 3, 3).ToList();
        // 403, the first packet of frame 2, never comes: 404..405 might be its tail or a frame of their own.
        foreach (var f in frames.Where(f => f.Seq != 403)) buffer.Insert(Packet(f.Seq, f.Ts, f.Marker));
        Assert.Equal(new ushort[] { 400, 401, 402 }, TakeAll(buffer));
        _clock.Advance(TimeSpan.FromMilliseconds(60));
        Assert.Equal(new ushort[] { 406, 407, 408 }, TakeAll(buffer));
        Assert.Equal(2, buffer.Counters.FramesReleased);
        Assert.Equal(1, buffer.Counters.FramesSkipped);
    }

    [Fact]
    public void Audio_releases_each_packet_and_skips_only_the_missing_ones()
    {
        var buffer = Audio();
        foreach (var seq in new ushort[] { 1, 2, 4, 5 }) buffer.Insert(Packet(seq, (uint)(seq * 960), false));
        Assert.Equal(new ushort[] { 1, 2 }, TakeAll(buffer));
        _clock.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(new ushort[] { 4, 5 }, TakeAll(buffer));
        Assert.Equal(1, buffer.Counters.FramesSkipped);
        Assert.Equal(0, buffer.Counters.PacketsDropped);
    }

    [Fact]
    public void Sequence_numbers_wrap_at_65535_without_reordering()
    {
        var buffer = Video();
        var frames = Frames(65533, 3, 2).ToList(); // 65533..65535, 0..2
        // 65533, 65535, 65534, 1, 0, 2: reordered across the wrap.
        var arrival = new[] { 0, 2, 1, 4, 3, 5 };
        var released = new List<ushort>();
        foreach (var i in arrival)
        {
            buffer.Insert(Packet(frames[i].Seq, frames[i].Ts, frames[i].Marker));
            released.AddRange(TakeAll(buffer));
        }
        Assert.Equal(new ushort[] { 65533, 65534, 65535, 0, 1, 2 }, released);
        Assert.Equal(0, buffer.Counters.PacketsLate);
    }

    [Fact]
    public void Duplicates_are_dropped_once_held()
    {
        var buffer = Video();
        buffer.Insert(Packet(1, 0, false));
        buffer.Insert(Packet(1, 0, false));
        buffer.Insert(Packet(2, 0, true));
        Assert.Equal(new ushort[] { 1, 2 }, TakeAll(buffer));
        Assert.Equal(1, buffer.Counters.Duplicates);
    }

    [Fact]
    public void The_target_follows_measured_jitter_within_target_and_max()
    {
        var buffer = Audio();
        // Perfectly paced 20 ms audio: no jitter, the target stays at its minimum.
        ushort seq = 0;
        for (var i = 0; i < 50; i++)
        {
            buffer.Insert(Packet(seq, (uint)(seq * 960), false));
            seq++;
            _clock.Advance(TimeSpan.FromMilliseconds(20));
        }
        TakeAll(buffer);
        Assert.Equal(TimeSpan.FromMilliseconds(50), buffer.TargetDelay);
        // Arrivals alternating 5 ms and 35 ms apart: |D| = 15 ms, so J tends to 15 ms and 4 J = 60 ms.
        for (var i = 0; i < 200; i++)
        {
            buffer.Insert(Packet(seq, (uint)(seq * 960), false));
            seq++;
            _clock.Advance(TimeSpan.FromMilliseconds(i % 2 == 0 ? 5 : 35));
        }
        TakeAll(buffer);
        Assert.InRange(buffer.JitterMs, 14, 16);
        Assert.InRange(buffer.TargetDelay.TotalMilliseconds, 56, 64);
        // Wild jitter is capped at the maximum.
        for (var i = 0; i < 200; i++)
        {
            buffer.Insert(Packet(seq, (uint)(seq * 960), false));
            seq++;
            _clock.Advance(TimeSpan.FromMilliseconds(i % 2 == 0 ? 0 : 200));
        }
        Assert.Equal(TimeSpan.FromMilliseconds(200), buffer.TargetDelay);
    }

    [Fact]
    public void A_higher_target_waits_longer_for_a_missing_packet()
    {
        var buffer = Video(Settings with { Target = TimeSpan.FromMilliseconds(100) });
        buffer.Insert(Packet(1, 0, true));
        buffer.Insert(Packet(3, 6000, true));
        Assert.Equal(new ushort[] { 1 }, TakeAll(buffer));
        _clock.Advance(TimeSpan.FromMilliseconds(60));
        Assert.Empty(TakeAll(buffer));
        _clock.Advance(TimeSpan.FromMilliseconds(40));
        // 2 (a whole frame) never came; 3 has no known start and goes with it.
        Assert.Empty(TakeAll(buffer));
        Assert.Equal(1, buffer.Counters.FramesSkipped);
        buffer.Insert(Packet(4, 9000, true));
        Assert.Equal(new ushort[] { 4 }, TakeAll(buffer));
    }

    [Fact]
    public void A_full_buffer_makes_room_instead_of_growing()
    {
        var buffer = Video(Settings with { Capacity = 16 });
        buffer.Insert(Packet(0, 0, false)); // its frame never completes
        for (ushort s = 1; s < 40; s++) buffer.Insert(Packet(s, 0, false));
        Assert.True(buffer.Held <= 16);
        Assert.True(buffer.Counters.PacketsDropped > 0);
        buffer.Clear();
        Assert.Equal(0, buffer.Held);
    }

    [Fact]
    public void Random_loss_and_reorder_release_strictly_increasing_sequences()
    {
        var random = new Random(7);
        var buffer = Video();
        var packets = Frames(65000, 300, 3).Where(_ => random.NextDouble() > 0.05).ToList();
        // Shuffle within small windows (reorder by up to 4 packets).
        for (var i = 0; i + 4 < packets.Count; i += 4)
        {
            var j = i + random.Next(4);
            (packets[i], packets[j]) = (packets[j], packets[i]);
        }
        var released = new List<long>();
        var unwrap = new Sfu.WebRtc.Rtp.SequenceUnwrapper();
        foreach (var (seq, ts, marker) in packets)
        {
            buffer.Insert(Packet(seq, ts, marker));
            _clock.Advance(TimeSpan.FromMilliseconds(random.Next(0, 20)));
            released.AddRange(TakeAll(buffer).Select(s => unwrap.Unwrap(s)));
        }
        _clock.Advance(TimeSpan.FromSeconds(1));
        released.AddRange(TakeAll(buffer).Select(s => unwrap.Unwrap(s)));
        Assert.True(released.Count > packets.Count / 2);
        for (var i = 1; i < released.Count; i++) Assert.True(released[i] > released[i - 1], $"{released[i - 1]} then {released[i]}");
        var s = buffer.Counters.Snapshot();
        Assert.Equal(packets.Count, s.PacketsIn);
        Assert.Equal(s.PacketsIn, released.Count + s.PacketsDropped + s.PacketsLate + s.Duplicates + buffer.Held);
    }
}
