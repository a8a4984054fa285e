using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Sfu.Service.Configuration;

namespace Sfu.Service.Tests.Operations;

public class SfuLoggingTests
{
    private static ServiceProvider Configure(LoggingConfig config, Dictionary<string, string> environment)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => SfuLogging.Configure(b, config, name => environment.GetValueOrDefault(name)));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Config_decides_when_the_environment_is_silent()
    {
        using var sp = Configure(new LoggingConfig(LogLevel.Debug, LogFormat.Text), []);

        Assert.Equal(ConsoleFormatterNames.Simple, sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.Equal(LogLevel.Debug, sp.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.MinLevel);
    }

    [Fact]
    public void LOG_FORMAT_json_and_LOG_LEVEL_override_the_config()
    {
        using var sp = Configure(LoggingConfig.Default, new() { ["LOG_FORMAT"] = "JSON", ["LOG_LEVEL"] = "warning" });

        Assert.Equal(ConsoleFormatterNames.Json, sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.Equal(LogLevel.Warning, sp.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.MinLevel);
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("t");
        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void An_unknown_LOG_LEVEL_falls_back_to_the_config()
    {
        using var sp = Configure(new LoggingConfig(LogLevel.Error, LogFormat.Json), new() { ["LOG_LEVEL"] = "loud", ["LOG_FORMAT"] = "text" });

        Assert.Equal(LogLevel.Error, sp.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.MinLevel);
        Assert.Equal(ConsoleFormatterNames.Simple, sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }
}
