using System.Diagnostics;
using Sfu.Actors.Rooms;
using Sfu.Service.Configuration;

namespace Sfu.Service.Hosting;

/// <summary>How much memory the process uses; a seam so limits can be tested without filling the heap.</summary>
public interface IMemoryProbe
{
    long WorkingSetBytes { get; }
}

public sealed class ProcessMemoryProbe : IMemoryProbe
{
    public long WorkingSetBytes
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            return process.WorkingSet64;
        }
    }
}

/// <summary>
/// performance.max_memory_total / max_memory_per_room: refuses joins (as <c>server-full</c>) while the process
/// working set is over budget. .NET cannot attribute heap to a room, so the per-room limit applies to the average
/// share: working set / rooms on this node (counting the room being joined).
/// </summary>
public sealed class MemoryAdmission(PerformanceConfig performance, IMemoryProbe probe, RoomDirectory directory, Action<string>? refused = null)
{
    private const long Megabyte = 1024 * 1024;

    public bool Enabled => performance.MaxMemoryTotalMb > 0 || performance.MaxMemoryPerRoomMb > 0;

    /// <summary>Null admits a join into <paramref name="roomId"/>; otherwise the reason it is refused.</summary>
    public string? Check(string roomId)
    {
        if (!Enabled) return null;
        var used = probe.WorkingSetBytes;
        if (performance.MaxMemoryTotalMb > 0 && used > performance.MaxMemoryTotalMb * Megabyte)
        {
            refused?.Invoke("memory_total");
            return $"server memory {used / Megabyte} MB is over performance.max_memory_total ({performance.MaxMemoryTotalMb} MB)";
        }
        if (performance.MaxMemoryPerRoomMb > 0)
        {
            var rooms = directory.RoomCount + (directory.TryGet(roomId, out _) ? 0 : 1);
            var share = used / Math.Max(1, rooms);
            if (share > performance.MaxMemoryPerRoomMb * Megabyte)
            {
                refused?.Invoke("memory_per_room");
                return $"server memory per room {share / Megabyte} MB ({used / Megabyte} MB over {rooms} rooms) is over performance.max_memory_per_room ({performance.MaxMemoryPerRoomMb} MB)";
            }
        }
        return null;
    }
}
