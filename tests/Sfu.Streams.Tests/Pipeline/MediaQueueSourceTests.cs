using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using Sfu.Streams.Pipeline;
using Sfu.WebRtc.Transport;

using static Sfu.Streams.Tests.Pipeline.NumberedPackets;

namespace Sfu.Streams.Tests.Pipeline;

public sealed class MediaQueueSourceTests : TestKit
{
    private readonly IMaterializer _mat;

    public MediaQueueSourceTests() => _mat = Sys.Materializer();

    [Fact]
    public async Task Emits_packets_queued_before_and_after_it_ran_dry_in_order()
    {
        var queue = new MediaQueue(64, DropReason.IngressQueueFull);
        queue.Offer(Numbered(1));
        queue.Offer(Numbered(2));
        var probe = Source.FromGraph(new MediaQueueSource(queue)).RunWith(this.SinkProbe<MediaPacket>(), _mat);

        probe.Request(3);
        Assert.Equal(1, NumberOf(probe.ExpectNext()));
        Assert.Equal(2, NumberOf(probe.ExpectNext()));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        // The graph is idle and armed now: a write from another thread must wake it.
        await Task.Run(() => queue.Offer(Numbered(3)));
        Assert.Equal(3, NumberOf(probe.ExpectNext()));
        probe.Cancel();
    }

    [Fact]
    public async Task Does_not_lose_a_wake_up_when_many_threads_write_while_it_drains()
    {
        const int writers = 4, perWriter = 20_000;
        var queue = new MediaQueue(perWriter * writers, DropReason.IngressQueueFull);
        var done = Source.FromGraph(new MediaQueueSource(queue))
            .Select(p =>
            {
                var n = NumberOf(p);
                p.Release();
                return n;
            })
            .Take(writers * perWriter)
            .RunAggregate(new int[writers], (last, n) =>
            {
                // Each writer's packets arrive in its own order.
                var w = n / perWriter;
                Assert.Equal(last[w], n % perWriter);
                last[w]++;
                return last;
            }, _mat);
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                queue.Offer(Numbered(w * perWriter + i));
                // Let the reader catch up now and then, so it keeps going idle and being woken.
                if (i % 64 == 0) Thread.Sleep(0);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        // A lost wake-up leaves the source waiting for a write that never comes: the wait times out.
        var last = await done.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(last, n => Assert.Equal(perWriter, n));
    }

    [Fact]
    public void Does_not_lose_a_wake_up_when_each_write_waits_for_the_previous_packet()
    {
        // Ping-pong: every packet is written right as the reader finishes the previous one, i.e. while it is
        // between finding the queue empty and arming its wake-up. A lost wake-up stalls this for good.
        const int rounds = 20_000;
        var queue = new MediaQueue(8, DropReason.IngressQueueFull);
        var consumed = 0;
        Source.FromGraph(new MediaQueueSource(queue))
            .RunForeach(p =>
            {
                p.Release();
                Interlocked.Increment(ref consumed);
            }, _mat);
        for (var i = 0; i < rounds; i++)
        {
            queue.Offer(Numbered(i));
            // Spin rather than block, so the next write lands within a few hundred ns of the reader going idle.
            var spin = new SpinWait();
            var deadline = Environment.TickCount64 + 5000;
            while (Volatile.Read(ref consumed) <= i)
            {
                Assert.True(Environment.TickCount64 < deadline, $"packet {i} was never emitted: a wake-up was lost");
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    [Fact]
    public void Completes_when_the_queue_is_completed_and_releases_what_was_left()
    {
        var queue = new MediaQueue(8, DropReason.EgressQueueFull);
        var probe = Source.FromGraph(new MediaQueueSource(queue)).RunWith(this.SinkProbe<MediaPacket>(), _mat);
        probe.Request(1);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        queue.Complete();
        probe.ExpectComplete();
        // Writes after completion are refused (and counted), not left in a queue nobody reads.
        Assert.False(queue.TryEnqueue(Numbered(9)));
    }
}
