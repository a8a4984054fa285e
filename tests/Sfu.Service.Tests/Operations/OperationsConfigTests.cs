using Sfu.Service.Configuration;
using Sfu.Service.Tests.Configuration;

namespace Sfu.Service.Tests.Operations;

public class OperationsConfigTests
{
    [Fact]
    public void Metrics_port_defaults_to_9090_and_can_be_overridden_or_turned_off()
    {
        using var dir = new TempConfigDirectory("server: { port: 8080 }\n");

        Assert.Equal(9090, dir.Load().Config.Metrics.Port);
        Assert.Equal(9300, dir.Load(null, "metrics.port=9300").Config.Metrics.Port);
        Assert.Equal(9301, dir.Load(new Dictionary<string, string?> { ["SFU__METRICS__PORT"] = "9301" }).Config.Metrics.Port);
        var off = dir.Load(null, "metrics.port=0").Config.Metrics;
        Assert.False(off.Enabled);
    }

    [Theory]
    [InlineData("metrics.port=65536", "metrics.port")]
    [InlineData("metrics.port=-1", "metrics.port")]
    [InlineData("metrics.port=8080", "8080 is also server.port")]
    [InlineData("metrics.host=x", "metrics.host")]
    public void Bad_metrics_settings_are_errors_naming_the_key(string setting, string expected)
    {
        using var dir = new TempConfigDirectory("server: { port: 8080 }\n");

        var error = Assert.Throws<ConfigException>(() => dir.Load(null, setting));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Metrics_port_may_not_clash_with_the_tls_port()
    {
        using var dir = new TempConfigDirectory("server: { tls: { cert: c.pem, key: k.pem, port: 9443 } }\nmetrics: { port: 9443 }\n");

        var error = Assert.Throws<ConfigException>(() => dir.Load());

        Assert.Contains("server.tls.port", error.Message);
        Assert.Contains("metrics.port", error.Message);
    }

    [Fact]
    public void Dev_cert_flag_is_taken_out_of_the_host_arguments()
    {
        // Left in, the host's command-line provider would read "--urls" as the flag's value.
        var line = SfuCommandLine.Parse(["--dev-cert", "--urls", "http://127.0.0.1:1", "--set", "server.port=1"]);

        Assert.True(line.DevCertificate);
        Assert.Equal(["--urls", "http://127.0.0.1:1"], line.Remaining);
        Assert.False(SfuCommandLine.Parse(["--urls", "x"]).DevCertificate);
    }
}
