using Sfu.WebRtc.Fec;

namespace Sfu.WebRtc.Tests.Fec;

public class FecXorTests
{
    private static List<byte[]> Frame(uint ssrc, ushort firstSeq, int count, int seed)
    {
        var rng = new Random(seed);
        var packets = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var payload = new byte[rng.Next(1, 1100)];
            rng.NextBytes(payload);
            byte[] ext = i % 2 == 0 ? [0x32, 1, 2, 3, 4] : [0x10, 9, 0x21, 7, 7];
            packets.Add(TestFlexFec.Rtp(96, (ushort)(firstSeq + i), 90000u * 7 + (uint)(i / 3), ssrc, i == count - 1, ext, payload));
        }
        return packets;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(11)]
    public void Recovers_any_single_lost_packet(int lost)
    {
        var packets = Frame(0xABCD, 65530, 12, lost);
        var fec = TestFlexFec.Protect(0xABCD, 65530, packets);
        var received = packets.Where((_, i) => i != lost).ToDictionary(p => (ushort)((p[2] << 8) | p[3]));
        var recovered = TestFlexFec.Recover(fec, received);
        Assert.Equal(packets[lost], recovered);
    }

    [Fact]
    public void Two_losses_are_not_recoverable_from_one_fec_packet()
    {
        var packets = Frame(1, 10, 5, 1);
        var fec = TestFlexFec.Protect(1, 10, packets);
        var received = packets.Skip(2).ToDictionary(p => (ushort)((p[2] << 8) | p[3]));
        Assert.Null(TestFlexFec.Recover(fec, received));
    }

    [Fact]
    public void Applying_a_packet_twice_cancels_it()
    {
        var packets = Frame(1, 10, 3, 2);
        var fec = TestFlexFec.Protect(1, 10, packets);
        var before = (byte[])fec.Clone();
        Assert.True(FecXor.TryApply(fec, 20, packets[1]));
        Assert.NotEqual(before, fec);
        Assert.True(FecXor.TryApply(fec, 20, packets[1]));
        Assert.Equal(before, fec);
    }

    [Fact]
    public void Refuses_packets_longer_than_the_fec_payload_and_changes_nothing()
    {
        var small = TestFlexFec.Rtp(96, 1, 1, 1, false, [], new byte[10]);
        var big = TestFlexFec.Rtp(96, 2, 1, 1, false, [], new byte[11]);
        var fec = TestFlexFec.Protect(1, 1, [small]);
        var before = (byte[])fec.Clone();
        Assert.False(FecXor.TryApply(fec, 20, big));
        Assert.False(FecXor.TryApply(fec, 20, new byte[11]));
        Assert.Equal(before, fec);
    }
}
