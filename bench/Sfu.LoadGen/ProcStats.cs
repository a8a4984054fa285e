using System.Globalization;

namespace Sfu.LoadGen;

/// <summary>CPU time and peak memory of a process, read from Linux's /proc (proc(5)).</summary>
internal static class ProcStats
{
    /// <summary>Clock ticks per second of utime/stime; USER_HZ is 100 on every mainstream Linux build.</summary>
    private const double ClockTicks = 100.0;

    /// <summary>utime + stime in seconds (fields 14 and 15 of /proc/PID/stat), or null if unreadable.</summary>
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces and parentheses: fields after the last ')' start at field 3.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(rest[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(rest[12], CultureInfo.InvariantCulture);
            return (utime + stime) / ClockTicks;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Peak resident set (VmHWM) in bytes, or null if unreadable.</summary>
    public static long? PeakRssBytes(int pid) => StatusKilobytes(pid, "VmHWM:") * 1024;

    public static long? RssBytes(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

    public static int? Threads(int pid) => (int?)StatusKilobytes(pid, "Threads:");

    private static long? StatusKilobytes(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
                var value = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.Parse(value, CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return null;
    }
}
