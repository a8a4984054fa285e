using System.Text.RegularExpressions;
using Sfu.Service.Configuration;

namespace Sfu.Service.Tests.Configuration;

public class ShippedConfigTests
{
    [Fact]
    public void Shipped_files_load_without_warnings_and_equal_the_record_defaults()
    {
        var result = SfuConfigLoader.Load(RepositoryFiles.ConfigDirectory, new Dictionary<string, string?>(), []);

        Assert.Empty(result.Warnings);
        Assert.Equal(SfuConfig.Default, result.Config);
    }

    [Fact]
    public void Shipped_files_are_copied_beside_the_binary()
    {
        var besideBinary = SfuCommandLine.DefaultConfigDirectory;

        Assert.True(File.Exists(Path.Combine(besideBinary, "webrtc.yaml")), besideBinary);
        Assert.True(File.Exists(Path.Combine(besideBinary, "media.yaml")), besideBinary);
    }

    [Theory]
    [InlineData("webrtc.yaml", "")]
    [InlineData("media.yaml", "media.")]
    public void Docs_list_every_key_of_the_shipped_files(string file, string prefix)
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "configuration.md"));
        var missing = YamlKeyPaths.Leaves(Path.Combine(RepositoryFiles.ConfigDirectory, file))
            .Select(p => prefix + p)
            .Where(p => !docs.Contains($"`{p}`", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("webrtc.yaml")]
    [InlineData("media.yaml")]
    public void The_every_key_fixture_sets_every_shipped_key(string file)
    {
        var fixture = YamlKeyPaths.Leaves(Path.Combine(AppContext.BaseDirectory, "Fixtures", "config", "every-key-set", file)).ToList();

        // An empty list in the shipped file (ice_servers: []) is covered by items in the fixture.
        var uncovered = YamlKeyPaths.Leaves(Path.Combine(RepositoryFiles.ConfigDirectory, file))
            .Where(k => !fixture.Any(f => f == k || f.StartsWith(k + "[]", StringComparison.Ordinal)));

        Assert.Empty(uncovered);
    }

    [Theory]
    [InlineData("webrtc.ice_servers[].urls")]
    [InlineData("webrtc.ice_servers[].username")]
    [InlineData("webrtc.ice_servers[].credential")]
    public void Docs_list_keys_that_the_shipped_files_leave_out(string key)
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "configuration.md"));

        Assert.Contains($"`{key}`", docs, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_values_in_the_docs_match_the_records()
    {
        // Spot checks of the docs table against the code, so a changed default cannot leave the docs behind.
        var docs = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "configuration.md"));
        var d = SfuConfig.Default;
        Assert.Matches(Row("webrtc.max_bitrate", d.WebRtc.MaxBitrate.ToString()), docs);
        Assert.Matches(Row("webrtc.udp_port", d.WebRtc.UdpPort.ToString()), docs);
        Assert.Matches(Row("rooms.max_participants", d.Rooms.MaxParticipants.ToString()), docs);
        Assert.Matches(Row("security.limits.max_sdp_bytes", d.Security.Limits.MaxSdpBytes.ToString()), docs);
        Assert.Matches(Row("media.video.max_framerate", d.Media.Video.MaxFramerate.ToString()), docs);
    }

    private static string Row(string key, string value) => $@"\| `{Regex.Escape(key)}` \| `{Regex.Escape(value)}` \|";
}
