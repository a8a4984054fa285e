using Sfu.Streams.Bandwidth;

namespace Sfu.Streams.Tests.Bandwidth;

public class ProbeScheduleTests
{
    [Theory]
    [InlineData(3_000_000, 275, 30)]
    [InlineData(900_000, 275, 30)]
    [InlineData(6_000_000, 275, 100)]
    [InlineData(20_000_000, 275, 100)]
    public void Bursts_every_5_ms_carry_the_target_rate_and_all_packets(long targetBps, int size, int packets)
    {
        var bursts = ProbeSchedule.Bursts(targetBps, size, packets);
        Assert.Equal(packets, bursts.Sum());
        Assert.All(bursts, b => Assert.InRange(b, 1, packets));
        // Every burst but the last is full; the rate over the whole cluster (until the last burst leaves, plus its
        // own 5 ms) is the target within one packet per burst of rounding.
        Assert.All(bursts[..^1], b => Assert.Equal(bursts[0], b));
        if (bursts.Length > 1)
        {
            var rate = bursts[0] * size * 8 * 1_000_000.0 / ProbeSchedule.BurstMicros;
            Assert.InRange(rate, targetBps - size * 8 * 1_000_000.0 / ProbeSchedule.BurstMicros / 2 - 1,
                targetBps + size * 8 * 1_000_000.0 / ProbeSchedule.BurstMicros / 2 + 1);
        }
    }

    [Fact]
    public void A_rate_below_one_packet_per_burst_still_sends_one_per_burst()
    {
        Assert.Equal([1, 1, 1], ProbeSchedule.Bursts(100_000, 1200, 3));
    }

    [Fact]
    public void Three_megabits_of_275_byte_packets_go_seven_per_burst()
    {
        // 3 Mbps × 5 ms = 1875 bytes = 6.8 packets of 275 bytes.
        Assert.Equal([7, 7, 7, 7, 2], ProbeSchedule.Bursts(3_000_000, 275, 30));
    }
}
