using Sfu.Streams.Recovery;

namespace Sfu.Streams.Tests.Recovery;

public class RetransmissionBufferTests
{
    private readonly ManualTime _clock = new();

    private static byte[] Packet(ushort seq, int length = 100)
    {
        var p = new byte[length];
        p[0] = 0x80;
        p[2] = (byte)(seq >> 8);
        p[3] = (byte)seq;
        for (var i = 12; i < length; i++) p[i] = (byte)(seq + i);
        return p;
    }

    private static (RetransmitLookup Result, byte[] Bytes) Get(RetransmissionBuffer b, ushort seq, TimeSpan? minResend = null)
    {
        var dest = new byte[1500];
        var result = b.TryCopy(seq, minResend ?? TimeSpan.Zero, dest, out var n);
        return (result, dest[..n]);
    }

    [Fact]
    public void Answers_each_request_with_the_packet_stored_under_that_sequence_number()
    {
        using var b = new RetransmissionBuffer(_clock);
        for (ushort s = 100; s < 110; s++) b.Store(s, Packet(s, 60 + s));
        foreach (ushort s in new ushort[] { 109, 100, 105 })
        {
            var (result, bytes) = Get(b, s);
            Assert.Equal(RetransmitLookup.Copied, result);
            Assert.Equal(Packet(s, 60 + s), bytes);
        }
        Assert.Equal(RetransmitLookup.NotHeld, Get(b, 99).Result);
        Assert.Equal(RetransmitLookup.NotHeld, Get(b, 110).Result);
    }

    [Fact]
    public void Sequence_numbers_across_the_wrap_are_all_held()
    {
        using var b = new RetransmissionBuffer(_clock, capacity: 64);
        for (var i = 0; i < 12; i++) b.Store((ushort)(65530 + i), Packet((ushort)(65530 + i)));
        for (var i = 0; i < 12; i++)
            Assert.Equal(Packet((ushort)(65530 + i)), Get(b, (ushort)(65530 + i)).Bytes);
    }

    [Fact]
    public void Packets_older_than_the_retention_time_are_not_held()
    {
        using var b = new RetransmissionBuffer(_clock, maxAge: TimeSpan.FromSeconds(1));
        b.Store(1, Packet(1));
        _clock.Advance(TimeSpan.FromMilliseconds(600));
        b.Store(2, Packet(2));
        _clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(RetransmitLookup.Copied, Get(b, 1).Result);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(RetransmitLookup.NotHeld, Get(b, 1).Result);
        Assert.Equal(RetransmitLookup.Copied, Get(b, 2).Result);
    }

    [Fact]
    public void Capacity_bounds_what_is_held_newer_packets_overwrite_older_ones()
    {
        using var b = new RetransmissionBuffer(_clock, capacity: 16);
        Assert.Equal(16, b.Capacity);
        for (ushort s = 0; s < 32; s++) b.Store(s, Packet(s));
        for (ushort s = 0; s < 16; s++) Assert.Equal(RetransmitLookup.NotHeld, Get(b, s).Result);
        for (ushort s = 16; s < 32; s++) Assert.Equal(Packet(s), Get(b, s).Bytes);
    }

    [Fact]
    public void Capacity_rounds_up_to_a_power_of_two()
    {
        using var b = new RetransmissionBuffer(_clock, capacity: 1000);
        Assert.Equal(1024, b.Capacity);
    }

    [Fact]
    public void A_packet_resent_within_the_interval_is_not_sent_again()
    {
        using var b = new RetransmissionBuffer(_clock);
        b.Store(5, Packet(5));
        var interval = TimeSpan.FromMilliseconds(30);
        Assert.Equal(RetransmitLookup.Copied, Get(b, 5, interval).Result);
        _clock.Advance(TimeSpan.FromMilliseconds(29));
        Assert.Equal(RetransmitLookup.TooSoon, Get(b, 5, interval).Result);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(RetransmitLookup.Copied, Get(b, 5, interval).Result);
        // Storing the number again (the ring came round) starts afresh.
        b.Store(5, Packet(5));
        Assert.Equal(RetransmitLookup.Copied, Get(b, 5, interval).Result);
    }

    [Fact]
    public void Oversized_packets_and_short_destinations_are_not_served()
    {
        using var b = new RetransmissionBuffer(_clock);
        b.Store(1, new byte[1501]);
        Assert.Equal(RetransmitLookup.NotHeld, Get(b, 1).Result);
        b.Store(2, Packet(2, 200));
        Assert.Equal(RetransmitLookup.NotHeld, b.TryCopy(2, TimeSpan.Zero, new byte[199], out _));
    }

    [Fact]
    public void Disposed_buffer_holds_nothing()
    {
        var b = new RetransmissionBuffer(_clock);
        b.Store(1, Packet(1));
        b.Dispose();
        b.Store(2, Packet(2));
        Assert.Equal(RetransmitLookup.NotHeld, Get(b, 1).Result);
        Assert.Equal(RetransmitLookup.NotHeld, Get(b, 2).Result);
    }

    [Fact]
    public void Steady_state_storing_allocates_nothing()
    {
        using var b = new RetransmissionBuffer(_clock, capacity: 256);
        var packet = Packet(1, 1200);
        var dest = new byte[1500];
        // The first lap rents each slot's buffer; later laps reuse them.
        for (var s = 0; s < 256; s++) b.Store((ushort)s, packet);
        // The least of three laps: a per-packet allocation shows in all, a one-off by the runtime in one.
        var allocated = long.MaxValue;
        for (var lap = 0; lap < 3; lap++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var s = 256 + lap * 20_000; s < 20_000 + lap * 20_000; s++)
            {
                b.Store((ushort)s, packet);
                b.TryCopy((ushort)(s - 10), TimeSpan.Zero, dest, out _);
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Holds_buffers_only_for_packets_younger_than_the_retention_time()
    {
        using var b = new RetransmissionBuffer(_clock, capacity: 1024, maxAge: TimeSpan.FromSeconds(1));
        // 30 packets/s for 60 s: 1800 stores wrap the 1024 slots; about 31 packets are ever younger than 1 s.
        ushort seq = 40000;
        for (var i = 0; i < 1800; i++)
        {
            b.Store(seq++, Packet(seq));
            _clock.Advance(TimeSpan.FromMilliseconds(1000.0 / 30));
            Assert.InRange(b.BuffersHeld, 1, 32);
        }
        // The young ones still answer NACKs; an aged-out one does not.
        Assert.Equal(RetransmitLookup.Copied, Get(b, (ushort)(seq - 1)).Result);
        Assert.Equal(RetransmitLookup.Copied, Get(b, (ushort)(seq - 29)).Result);
        Assert.Equal(RetransmitLookup.NotHeld, Get(b, (ushort)(seq - 40)).Result);
    }

    [Fact]
    public void Overwritten_and_duplicate_sequence_numbers_neither_leak_nor_free_a_live_buffer()
    {
        using var b = new RetransmissionBuffer(_clock, capacity: 16, maxAge: TimeSpan.FromSeconds(1));
        // A jump of one ring (16) lands on a slot still in use; a duplicate stores the same number twice.
        foreach (ushort s in new ushort[] { 1, 2, 3, 3, 17, 18, 4 })
        {
            b.Store(s, Packet(s));
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }
        Assert.Equal(RetransmitLookup.Copied, Get(b, 17).Result);
        Assert.Equal(Packet(18), Get(b, 18).Bytes);
        Assert.Equal(RetransmitLookup.Copied, Get(b, 3).Result);
        Assert.Equal(RetransmitLookup.NotHeld, Get(b, 1).Result);
        Assert.Equal(4, b.BuffersHeld); // slots of 17 (was 1), 18 (was 2), 3 and 4

        // More stores than the order ring holds, all young: never more buffers than slots.
        for (var i = 0; i < 100; i++) b.Store((ushort)(200 + i), Packet((ushort)(200 + i)));
        Assert.Equal(16, b.BuffersHeld);

        _clock.Advance(TimeSpan.FromSeconds(2));
        b.Store(1000, Packet(1000));
        Assert.Equal(1, b.BuffersHeld);
        Assert.Equal(Packet(1000), Get(b, 1000).Bytes);
    }
}
