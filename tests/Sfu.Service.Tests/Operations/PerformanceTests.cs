using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sfu.Service.Configuration;
using Sfu.Service.Hosting;

namespace Sfu.Service.Tests.Operations;

public class PerformanceTests
{
    [Fact]
    public void Keys_without_effect_are_explained_as_warnings_only_when_set()
    {
        Assert.DoesNotContain(PerformanceNotes.For(PerformanceConfig.Default), n => n.Level >= LogLevel.Warning);

        var notes = PerformanceNotes.For(PerformanceConfig.Default with { MaxCpuPerRoom = 50, HardwareAcceleration = true, WorkerThreads = 3 }).ToList();

        Assert.Contains(notes, n => n.Level == LogLevel.Warning && n.Message.Contains("max_cpu_per_room=50 has no effect") && n.Message.Contains("does not transcode"));
        Assert.Contains(notes, n => n.Level == LogLevel.Warning && n.Message.Contains("hardware_acceleration=true has no effect"));
        Assert.Contains(notes, n => n.Message.Contains("3 UDP receive threads, each processing the packets it reads"));
        var pooled = PerformanceNotes.For(PerformanceConfig.Default with { WorkerThreads = 3, InlineMedia = false });
        Assert.Contains(pooled, n => n.Message.Contains("hand packets to a media dispatcher of 3 threads"));
    }

    [Fact]
    public async Task Garbage_collection_runs_once_per_interval()
    {
        var time = new FakeTimeProvider();
        var collections = 0;
        var performance = PerformanceConfig.Default with { GarbageCollectionInterval = TimeSpan.FromSeconds(60) };
        using var service = new PeriodicGarbageCollection(performance, time, NullLogger<PeriodicGarbageCollection>.Instance, () => Interlocked.Increment(ref collections));

        await service.StartAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Yield();
        Assert.Equal(0, Volatile.Read(ref collections));
        for (var i = 1; i <= 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(i == 1 ? 1 : 60));
            await WaitFor(() => Volatile.Read(ref collections) == i);
        }
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Garbage_collection_interval_zero_runs_nothing()
    {
        var time = new FakeTimeProvider();
        var collections = 0;
        using var service = new PeriodicGarbageCollection(PerformanceConfig.Default, time, NullLogger<PeriodicGarbageCollection>.Instance, () => collections++);

        await service.StartAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromDays(1));
        await service.ExecuteTask!;

        Assert.Equal(0, collections);
    }

    /// <summary>The timer callback completes the service's await on the thread pool; give it a bounded moment.</summary>
    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 5 s");
            await Task.Delay(5);
        }
    }
}
