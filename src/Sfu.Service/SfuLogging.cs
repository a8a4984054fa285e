using Sfu.Service.Configuration;

namespace Sfu.Service;

/// <summary>Console logging as operators configure it: level from config or LOG_LEVEL, JSON lines when LOG_FORMAT=json.</summary>
public static class SfuLogging
{
    public static void Configure(ILoggingBuilder logging, LoggingConfig config)
    {
        logging.ClearProviders();
        var format = Environment.GetEnvironmentVariable("LOG_FORMAT") is { } f
            ? (f.Equals("json", StringComparison.OrdinalIgnoreCase) ? LogFormat.Json : LogFormat.Text)
            : config.Format;
        var level = Environment.GetEnvironmentVariable("LOG_LEVEL") is { } l && Enum.TryParse<LogLevel>(l, true, out var parsed) ? parsed : config.Level;
        if (format == LogFormat.Json) logging.AddJsonConsole();
        else logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        logging.SetMinimumLevel(level);
        logging.AddFilter("Microsoft.AspNetCore", level > LogLevel.Warning ? level : LogLevel.Warning);
    }
}
