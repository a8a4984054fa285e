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

    private PeriodicTimer? _timer;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var interval = performance.GarbageCollectionInterval;
        if (interval > TimeSpan.Zero)
        {
            // Created here, not in ExecuteAsync (which runs on the thread pool), so the first period starts at StartAsync.
            _timer = new PeriodicTimer(interval, time);
            log.LogInformation("performance: forcing a full garbage collection every {Interval} (garbage_collection_interval)", interval);
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is null) return;
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                var before = GC.GetTotalMemory(false);
                _collect();
                log.LogDebug("performance: forced GC, managed heap {Before} -> {After} bytes", before, GC.GetTotalMemory(false));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }
}
