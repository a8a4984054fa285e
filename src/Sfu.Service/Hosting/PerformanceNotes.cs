using Sfu.Service.Configuration;

namespace Sfu.Service.Hosting;

/// <summary>Says at start what each performance.* key does on this node, and why two of them do nothing.</summary>
public static class PerformanceNotes
{
    public static IEnumerable<(LogLevel Level, string Message)> For(PerformanceConfig p)
    {
        yield return (LogLevel.Information,
            p.InlineMedia
                ? $"performance.worker_threads={p.WorkerThreads}: {p.EffectiveWorkerThreads} UDP receive threads, each processing the packets it reads (inline_media)"
                : $"performance.worker_threads={p.WorkerThreads}: {p.EffectiveWorkerThreads} UDP receive threads hand packets to a media dispatcher of {p.EffectiveWorkerThreads} threads");
        if (p.MaxCpuPerRoom > 0)
            yield return (LogLevel.Warning,
                $"performance.max_cpu_per_room={p.MaxCpuPerRoom} has no effect: an SFU does not transcode, a room's cost is packet forwarding " +
                "spread over the shared media threads and cannot be measured per room; use rooms.max_participants and max_memory_* instead");
        if (p.HardwareAcceleration)
            yield return (LogLevel.Warning,
                "performance.hardware_acceleration=true has no effect: the SFU forwards media without decoding or encoding it");
        if (p.MaxMemoryTotalMb > 0 || p.MaxMemoryPerRoomMb > 0)
            yield return (LogLevel.Information,
                $"performance: joins are refused (server-full) above {Limit(p.MaxMemoryTotalMb)} working set in total, {Limit(p.MaxMemoryPerRoomMb)} per room on average");
    }

    private static string Limit(int mb) => mb > 0 ? $"{mb} MB" : "no limit";
}
