using System.Net;
using System.Text.Json;
using Sfu.Actors.Signaling;
using Sfu.Streams.Bandwidth;
using Sfu.Streams.Forwarding;
using static Sfu.Service.Tests.Configuration.TempConfigDirectory;

namespace Sfu.Service.Tests.Configuration;

/// <summary>media.video.quality_levels reach the allocator's layer table and the page's sendEncodings (joined).</summary>
public class QualityLevelsTests
{
    [Fact]
    public void Configured_levels_become_the_layer_table_and_the_clients_encodings()
    {
        using var dir = new TempConfigDirectory("", "");
        var config = dir.Load(Env(), "media.video.quality_levels.medium.bitrate=800000", "media.video.quality_levels.medium.width=960",
            "media.video.quality_levels.medium.height=540", "media.video.quality_levels.low.framerate=10").Config;

        var settings = SfuApplication.MediaSettingsFrom(config, IPAddress.Loopback);

        Assert.Equal([150_000L, 800_000L, 2_500_000L], settings.QualityLevels.Select(l => l.Bps));
        Assert.Equal(new SimulcastLayer(VideoQuality.Medium, 960, 540, 800_000), settings.QualityLevels[1]);
        var levels = settings.Constraints.QualityLevels!;
        Assert.Equal(["low", "medium", "high"], levels.Select(l => l.Rid));
        Assert.Equal(new QualityLevelInfo("medium", 960, 540, 800_000, 30), levels[1]);
        Assert.Equal(10, levels[0].MaxFramerate);

        var json = JsonDocument.Parse(new Joined("r", "p", [], [], settings.Constraints).ToJson()).RootElement;
        var medium = json.GetProperty("mediaConstraints").GetProperty("qualityLevels")[1];
        Assert.Equal(800_000, medium.GetProperty("maxBitrate").GetInt64());
        Assert.Equal(960, medium.GetProperty("width").GetInt32());
    }

    [Fact]
    public void The_allocator_budgets_layers_at_the_configured_bitrates()
    {
        using var dir = new TempConfigDirectory("", "");
        var defaults = SfuApplication.MediaSettingsFrom(dir.Load(Env()).Config, IPAddress.Loopback);
        var cheaper = SfuApplication.MediaSettingsFrom(
            dir.Load(Env(), "media.video.quality_levels.high.bitrate=1000000").Config, IPAddress.Loopback);

        // 1.2 Mbps fits the high layer only when it is configured at 1 Mbps.
        VideoQuality? Allocated(IReadOnlyList<SimulcastLayer> levels) =>
            new BandwidthAllocator().Allocate(1_200_000,
                [new AllocationRequest("v", TrackSource.Camera, SimulcastLayers.Table(3, levels))], 0).Tracks[0].Quality;
        Assert.Equal(VideoQuality.Medium, Allocated(defaults.QualityLevels));
        Assert.Equal(VideoQuality.High, Allocated(cheaper.QualityLevels));
    }

    [Fact]
    public void Render_size_caps_follow_the_configured_sizes()
    {
        var levels = new SimulcastLayer[] { new(VideoQuality.Low, 480, 270, 300_000), new(VideoQuality.Medium, 960, 540, 900_000), new(VideoQuality.High, 1920, 1080, 4_000_000) };
        // A 400x225 tile is covered by the configured low layer (480 wide), not by the default low one (320 wide).
        Assert.Equal(0, SimulcastLayers.Cap(3, QualityRequest.Auto, 400, 225, levels));
        Assert.Equal(1, SimulcastLayers.Cap(3, QualityRequest.Auto, 400, 225));
    }
}
