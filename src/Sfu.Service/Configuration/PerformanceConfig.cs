namespace Sfu.Service.Configuration;

/// <summary><c>performance:</c> threads and per-room/total budgets. 0 means "no limit" / "runtime default".</summary>
public sealed record PerformanceConfig(
    int WorkerThreads,
    int MaxCpuPerRoom,
    bool HardwareAcceleration,
    int MaxMemoryPerRoomMb,
    int MaxMemoryTotalMb,
    TimeSpan GarbageCollectionInterval,
    bool InlineMedia = true)
{
    public static readonly PerformanceConfig Default = new(0, 0, false, 0, 0, TimeSpan.Zero, true);

    /// <summary><see cref="WorkerThreads"/>, or the processor count when it is 0.</summary>
    public int EffectiveWorkerThreads => WorkerThreads == 0 ? Environment.ProcessorCount : WorkerThreads;
}
