using System.Globalization;

namespace Sfu.E2E.Tests.Loss;

/// <summary>
/// Figures the loss tests hand to bench/loss.sh: SFU_LOSS_RATES picks the loss rates to run (comma-separated
/// fractions, default only the asserted 5%), SFU_LOSS_RESULTS names a file each run appends a tab-separated line to.
/// </summary>
public static class LossFigures
{
    public static IReadOnlyList<double> Rates(double fallback)
    {
        var text = Environment.GetEnvironmentVariable("SFU_LOSS_RATES");
        if (string.IsNullOrWhiteSpace(text)) return [fallback];
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>Appends one result line: leg, loss, rtt, dropped, repaired, repaired in time, unrepaired, mean repair ms, frames, freezes, seconds.</summary>
    public static void Write(string leg, double loss, int rttMs, long dropped, long repaired, long inTime, long unrepaired, double meanRepairMs,
        long frames, long freezes, double seconds)
    {
        var path = Environment.GetEnvironmentVariable("SFU_LOSS_RESULTS");
        if (string.IsNullOrEmpty(path)) return;
        var line = string.Join('\t', leg, loss.ToString("0.00", CultureInfo.InvariantCulture), rttMs, dropped, repaired, inTime, unrepaired,
            meanRepairMs.ToString("0.0", CultureInfo.InvariantCulture), frames, freezes, seconds.ToString("0.0", CultureInfo.InvariantCulture));
        lock (typeof(LossFigures)) File.AppendAllText(path, line + Environment.NewLine);
    }
}
