using Microsoft.Extensions.Logging;

namespace Sfu.Service.Configuration;

/// <summary><c>logging:</c> minimum level and console format.</summary>
public sealed record LoggingConfig(LogLevel Level, LogFormat Format)
{
    public static readonly LoggingConfig Default = new(LogLevel.Information, LogFormat.Text);
}

public enum LogFormat
{
    Text,
    Json,
}
