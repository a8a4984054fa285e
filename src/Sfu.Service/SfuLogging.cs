using Sfu.Service.Configuration;

namespace Sfu.Service;

/// <summary>Console logging as operators configure it: level from config or LOG_LEVEL, JSON lines when LOG_FORMAT=json.</summary>
public static class SfuLogging
{
    /// <param name="environment">Reads LOG_FORMAT / LOG_LEVEL; the process environment unless a test passes its own.</param>
    public static void Configure(ILoggingBuilder logging, LoggingConfig config, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        logging.ClearProviders();
        var format = environment("LOG_FORMAT") is { Length: > 0 } f
            ? (f.Equals("json", StringComparison.OrdinalIgnoreCase) ? LogFormat.Json : LogFormat.Text)
            : config.Format;
        var level = environment("LOG_LEVEL") is { } l && Enum.TryParse<LogLevel>(l, true, out var parsed) && Enum.IsDefined(parsed) ? parsed : config.Level;
        if (format == LogFormat.Json)
        {
            // One JSON object per line with the message template's named values under "State", for log shippers.
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        }
        logging.SetMinimumLevel(level);
        logging.AddFilter("Microsoft.AspNetCore", level > LogLevel.Warning ? level : LogLevel.Warning);
    }
}
