using System.Globalization;
using System.Text.RegularExpressions;

namespace Sfu.Service.Tests.Operations;

/// <summary>Reads values out of a Prometheus text exposition.</summary>
internal static class Scrape
{
    public static async Task<string> GetAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        return await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
    }

    /// <summary>The sample named exactly <paramref name="series"/> (name plus labels as exposed), or null.</summary>
    public static double? Value(string text, string series)
    {
        var match = Regex.Match(text, "^" + Regex.Escape(series) + @" (\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }
}
