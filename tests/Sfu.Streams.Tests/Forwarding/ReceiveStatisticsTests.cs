using Sfu.Streams.Forwarding;

namespace Sfu.Streams.Tests.Forwarding;

public class ReceiveStatisticsTests
{
    [Fact]
    public void Counts_loss_from_gaps_in_extended_sequence_numbers()
    {
        var s = new ReceiveStatistics(90000);
        foreach (var seq in new long[] { 65534, 65535, 65537, 65538, 65541 }) s.OnPacket(seq, 0, 0);
        Assert.Equal(8, s.Expected);
        Assert.Equal(3, s.Lost);
        Assert.Equal(65541, s.HighestSequence);
        // RFC 3550 A.3: fraction lost = lost in interval * 256 / expected in interval.
        Assert.Equal(3 * 256 / 8, s.NextFractionLost());
        s.OnPacket(65542, 0, 0);
        Assert.Equal(0, s.NextFractionLost());
    }

    [Fact]
    public void Jitter_follows_rfc_3550_a8_exactly()
    {
        // J += (|D| - J) / 16 with D the change in transit time, in timestamp units (90 kHz: 1 ms = 90 units).
        var s = new ReceiveStatistics(90000);
        s.OnPacket(1, 0, 0);
        s.OnPacket(2, 3000, 33_333 + 1);
        Assert.Equal(0, s.Jitter, 6);
        // 16 ms late: D = 1440 units, J = 1440 / 16 = 90 units = 1 ms.
        s.OnPacket(3, 6000, 66_667 + 16_000);
        Assert.Equal(90, s.Jitter, 6);
        Assert.Equal(1.0, s.JitterMs, 6);
        // Back on time: D = -1440, J = 90 + (1440 - 90) / 16.
        s.OnPacket(4, 9000, 100_000);
        Assert.Equal(90 + (1440 - 90) / 16.0, s.Jitter, 6);
    }

    [Fact]
    public void Jitter_is_zero_for_perfectly_paced_packets_and_grows_with_variation()
    {
        var s = new ReceiveStatistics(90000);
        for (var i = 0; i < 50; i++) s.OnPacket(i, (uint)(i * 3000), i * 33_333L + 1);
        Assert.True(s.JitterMs < 0.05, $"jitter {s.JitterMs}");
        var t = new ReceiveStatistics(90000);
        for (var i = 0; i < 50; i++) t.OnPacket(i, (uint)(i * 3000), i * 33_333L + (i % 2 == 0 ? 0 : 10_000));
        Assert.InRange(t.JitterMs, 5, 11);
    }
}
