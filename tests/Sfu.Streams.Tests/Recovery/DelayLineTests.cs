using Sfu.Streams.Recovery;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Recovery;

public class DelayLineTests
{
    private readonly ManualTime _clock = new();

    private static MediaPacket Packet(byte tag) => MediaPacket.CopyOf([tag]);

    [Fact]
    public void Packets_come_out_after_the_delay_in_the_order_they_went_in()
    {
        // A long delay: the line's real timer never fires during the test, the test pumps after moving the clock.
        using var line = new DelayLine(TimeSpan.FromSeconds(30), _clock);
        var delivered = new List<byte>();
        void Deliver(MediaPacket p)
        {
            delivered.Add(p.Span[0]);
            p.Release();
        }
        line.Enqueue(Packet(1), Deliver);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        line.Enqueue(Packet(2), Deliver);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        line.Enqueue(Packet(3), Deliver);

        _clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(3));
        line.Pump();
        Assert.Empty(delivered);
        _clock.Advance(TimeSpan.FromMilliseconds(2));
        line.Pump();
        Assert.Equal(new byte[] { 1, 2 }, delivered);
        Assert.Equal(1, line.Pending);
        // Removing the rule lets what waits go on at once, and later packets pass without delay.
        line.Dispose();
        Assert.Equal(new byte[] { 1, 2, 3 }, delivered);
        line.Enqueue(Packet(4), Deliver);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, delivered);
    }

    [Fact]
    public void The_real_timer_delivers_without_anyone_pumping()
    {
        using var line = new DelayLine(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        using var done = new ManualResetEventSlim();
        var order = new List<byte>();
        for (byte i = 0; i < 5; i++)
            line.Enqueue(Packet(i), p =>
            {
                lock (order) order.Add(p.Span[0]);
                p.Release();
                if (order.Count == 5) done.Set();
            });
        Assert.True(done.Wait(TimeSpan.FromSeconds(5)));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, order);
    }
}
