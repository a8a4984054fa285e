using Sfu.Service.Configuration;

namespace Sfu.Service.Hosting;

/// <summary>
/// performance.garbage_collection_interval: a full blocking GC at that interval when above zero. The media path
/// allocates nothing per packet, so this exists for operators who want a flat working set over throughput.
/// </summary>
public sealed class PeriodicGarbageCollection(PerformanceConfig performance, TimeProvider time, ILogger<PeriodicGarbageCollection> log,
    Action? collect = null) : BackgroundService
{
    private readonly Action _collect = collect ?? (() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true));

    public long Collections { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = performance.GarbageCollectionInterval;
        if (interval <= TimeSpan.Zero) return;
        log.LogInformation("performance: forcing a full garbage collection every {Interval} (garbage_collection_interval)", interval);
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var before = GC.GetTotalMemory(false);
                _collect();
                Collections++;
                log.LogDebug("performance: forced GC, managed heap {Before} -> {After} bytes", before, GC.GetTotalMemory(false));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
