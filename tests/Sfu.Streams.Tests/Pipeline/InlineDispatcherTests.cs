using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Sfu.Streams.Pipeline;
using Sfu.WebRtc.Transport;

using static Sfu.Streams.Tests.Pipeline.NumberedPackets;

namespace Sfu.Streams.Tests.Pipeline;

public sealed class InlineDispatcherTests() : TestKit(ConfigurationFactory.ParseString("""
    inline-test-dispatcher {
      type = "Sfu.Streams.Pipeline.InlineDispatcherConfigurator, Sfu.Streams"
      throughput = 1000
    }
    """))
{
    private IRunnableGraph<Task> Graph(MediaQueue queue, Action<MediaPacket> each) =>
        Source.FromGraph(new MediaQueueSource(queue))
            .To(Sink.ForEach<MediaPacket>(p =>
            {
                each(p);
                p.Release();
            }))
            .MapMaterializedValue(_ => Task.CompletedTask)
            .WithAttributes(ActorAttributes.CreateDispatcher("inline-test-dispatcher"));

    [Fact]
    public async Task A_write_to_an_idle_graph_is_processed_on_the_writing_thread_before_the_write_returns()
    {
        var queue = new MediaQueue(64, DropReason.IngressQueueFull);
        var seen = new List<(int Number, int Thread)>();
        Graph(queue, p => { lock (seen) seen.Add((NumberOf(p), Environment.CurrentManagedThreadId)); }).Run(Sys.Materializer());
        // Let the graph start and arm its queue.
        await AwaitConditionAsync(() => Task.FromResult(queue.Reader.Count == 0), TimeSpan.FromSeconds(3));
        await Task.Delay(200);

        var seenWhenOfferReturned = new List<int>();
        var writer = new Thread(() =>
        {
            for (var i = 1; i <= 3; i++)
            {
                queue.Offer(Numbered(i));
                lock (seen) seenWhenOfferReturned.Add(seen.Count);
            }
        });
        writer.Start();
        writer.Join();

        // Processed inline: each packet was through the graph by the time Offer returned.
        Assert.Equal([1, 2, 3], seenWhenOfferReturned);
        Assert.Equal([1, 2, 3], seen.Select(s => s.Number));
        Assert.All(seen, s => Assert.Equal(writer.ManagedThreadId, s.Thread));
        queue.Complete();
    }

    [Fact]
    public async Task Writers_on_many_threads_never_run_the_graph_twice_at_once_and_lose_nothing()
    {
        const int writers = 4, perWriter = 20_000;
        var queue = new MediaQueue(perWriter * writers, DropReason.IngressQueueFull);
        var inside = 0;
        var overlaps = 0;
        var last = new int[writers];
        var received = 0;
        var outOfOrder = 0;
        Graph(queue, p =>
        {
            if (Interlocked.Increment(ref inside) != 1) Interlocked.Increment(ref overlaps);
            var n = NumberOf(p);
            var w = n / perWriter;
            if (n % perWriter != last[w]) outOfOrder++;
            last[w] = n % perWriter + 1;
            received++;
            Interlocked.Decrement(ref inside);
        }).Run(Sys.Materializer());
        await Task.Delay(200);

        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            for (var i = 0; i < perWriter; i++) queue.Offer(Numbered(w * perWriter + i));
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref received) == writers * perWriter), TimeSpan.FromSeconds(10));

        Assert.Equal(0, overlaps);
        Assert.Equal(0, outOfOrder);
        queue.Complete();
    }
}
