using System.Net;
using Sfu.Service.Configuration;

namespace Sfu.Service.Tests.Configuration;

public class CommandLineAndAddressTests
{
    [Fact]
    public void Config_directory_defaults_to_config_beside_the_binary()
    {
        var commandLine = SfuCommandLine.Parse(["--urls", "http://x"]);

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "config"), commandLine.ConfigDirectory);
        Assert.Empty(commandLine.Overrides);
        Assert.Equal(["--urls", "http://x"], commandLine.Remaining);
    }

    [Fact]
    public void Config_and_set_are_taken_in_both_spellings()
    {
        var commandLine = SfuCommandLine.Parse(["--config", "/etc/sfu", "--set", "webrtc.udp_port=0", "--verbose", "--set=rooms.max_rooms=3"]);

        Assert.Equal("/etc/sfu", commandLine.ConfigDirectory);
        Assert.Equal(["webrtc.udp_port=0", "rooms.max_rooms=3"], commandLine.Overrides);
        Assert.Equal(["--verbose"], commandLine.Remaining);
        Assert.Equal("/x", SfuCommandLine.Parse(["--config=/x"]).ConfigDirectory);
    }

    [Theory]
    [InlineData("--config", "--config: expected a directory after it")]
    [InlineData("--set", "--set: expected path=value after it")]
    public void Option_without_value_is_an_error(string option, string expected)
    {
        Assert.Equal(expected, Assert.Throws<ConfigException>(() => SfuCommandLine.Parse([option])).Message);
        Assert.Equal(expected, Assert.Throws<ConfigException>(() => SfuCommandLine.Parse([option, "--other"])).Message);
    }

    [Fact]
    public void Configured_announced_ip_wins()
    {
        var config = WebRtcConfig.Default with { AnnouncedIp = IPAddress.Parse("198.51.100.4") };

        Assert.Equal(IPAddress.Parse("198.51.100.4"), AnnouncedAddress.Resolve(config, [IPAddress.Parse("10.0.0.5")]));
    }

    [Fact]
    public void Auto_announced_ip_is_the_first_non_loopback_ipv4()
    {
        IPAddress[] local = [IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("fe80::1"), IPAddress.Parse("10.0.0.5"), IPAddress.Parse("192.168.1.2")];

        Assert.Equal(IPAddress.Parse("10.0.0.5"), AnnouncedAddress.Resolve(WebRtcConfig.Default, local));
    }

    [Fact]
    public void Auto_announced_ip_falls_back_to_loopback()
    {
        Assert.Equal(IPAddress.Loopback, AnnouncedAddress.Resolve(WebRtcConfig.Default, [IPAddress.Loopback, IPAddress.Parse("2001:db8::1")]));
    }

    [Fact]
    public void Local_addresses_of_this_machine_resolve_to_an_ipv4()
    {
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, AnnouncedAddress.Resolve(WebRtcConfig.Default).AddressFamily);
    }
}
