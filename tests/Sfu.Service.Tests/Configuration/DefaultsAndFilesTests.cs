using Sfu.Service.Configuration;

namespace Sfu.Service.Tests.Configuration;

public class DefaultsAndFilesTests
{
    [Fact]
    public void Missing_files_give_defaults_with_one_warning_each()
    {
        using var dir = new TempConfigDirectory();

        var result = dir.Load();

        Assert.Equal(SfuConfig.Default, result.Config);
        Assert.Equal(
            [
                $"{dir.WebRtcFile}: file not found, every key in it takes its default",
                $"{dir.MediaFile}: file not found, every key in it takes its default",
            ],
            result.Warnings);
    }

    [Fact]
    public void Missing_media_file_keeps_the_webrtc_values()
    {
        using var dir = new TempConfigDirectory("server:\n  port: 9100\n");

        var result = dir.Load();

        Assert.Equal(9100, result.Config.Server.Port);
        Assert.Equal(MediaConfig.Default, result.Config.Media);
        Assert.Equal([$"{dir.MediaFile}: file not found, every key in it takes its default"], result.Warnings);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("# nothing but a comment\n", "# nothing\n")]
    [InlineData("server:\nwebrtc: ~\nrooms: null\nlogging: NULL\n", "codecs:\nvideo: ~\naudio: null\n")]
    public void Empty_files_and_null_sections_mean_defaults(string webRtcYaml, string mediaYaml)
    {
        using var dir = new TempConfigDirectory(webRtcYaml, mediaYaml);

        var result = dir.Load();

        Assert.Empty(result.Warnings);
        Assert.Equal(SfuConfig.Default, result.Config);
    }

    [Fact]
    public void Null_value_means_default_but_quoted_empty_string_is_a_value()
    {
        using var withNull = new TempConfigDirectory("server:\n  host:\n", "");
        using var withEmpty = new TempConfigDirectory("server:\n  host: \"\"\n", "");

        Assert.Equal("0.0.0.0", withNull.Load().Config.Server.Host);
        Assert.Equal($"{withEmpty.WebRtcFile}: server.host: must not be empty", withEmpty.LoadError());
    }

    [Fact]
    public void Missing_directory_is_an_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), "sfu-no-such-dir-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<ConfigException>(() => SfuConfigLoader.Load(missing, new Dictionary<string, string?>(), []));

        Assert.Equal($"{missing}: configuration directory not found (full path {missing}; pick another with --config DIR)", error.Message);
    }

    [Fact]
    public void Every_value_is_read_from_the_files()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "config", "every-key-set");

        var result = SfuConfigLoader.Load(directory, new Dictionary<string, string?>(), []);

        Assert.Empty(result.Warnings);
        var expected = new SfuConfig(
            new ServerConfig("127.0.0.1", 9000, new TlsConfig("/etc/sfu/cert.pem", "/etc/sfu/key.pem", 9443)),
            new WebRtcConfig(
                ValueList.Of(
                    new IceServerConfig(ValueList.Of("stun:stun.example.org:3478"), null, null),
                    new IceServerConfig(ValueList.Of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"), "u", "c")),
                MaxBitrate: 4_000_000,
                MinBitrate: 100_000,
                Simulcast: false,
                JitterBufferTarget: TimeSpan.FromMilliseconds(80),
                JitterBufferMax: TimeSpan.FromMilliseconds(400),
                Dtx: false,
                Fec: false,
                Nack: false,
                UdpPort: 0,
                AnnouncedIp: System.Net.IPAddress.Parse("203.0.113.7"),
                ListenIp: System.Net.IPAddress.IPv6Any,
                IceTcpPort: 10001,
                ConsentTimeout: TimeSpan.FromSeconds(15)),
            new RoomsConfig(5, 10000, false, TimeSpan.Zero),
            new RecordingConfig(true, "/var/rec", RecordingFormat.Mkv, RecordingStorage.S3,
                new S3Config("b", "eu-west-1", "http://minio:9000", "ak", "sk", "rec/")),
            new PerformanceConfig(4, 50, true, 256, 4096, TimeSpan.FromSeconds(60), InlineMedia: false),
            new SecurityConfig(true, "Authorization", "0123456789abcdef0123456789abcdef", "admin",
                new RateLimitConfig(false, 1, 2, 3), new MessageLimitsConfig(131072, 10, 100000, 4)),
            new ClusterConfig("10.0.0.2", 4053, ValueList.Of("akka.tcp://sfu@10.0.0.1:4053"), ValueList.Of("sfu", "edge")),
            new LoggingConfig(Microsoft.Extensions.Logging.LogLevel.Debug, LogFormat.Json),
            new MediaConfig(
                new CodecsConfig(
                    // Sorted by priority; names normalized; PCMU's clock and channels come from the codec.
                    ValueList.Of(new AudioCodecConfig("PCMU", 8000, 1, 2, null), new AudioCodecConfig("opus", 48000, 2, 5, "stereo=1")),
                    ValueList.Of(new VideoCodecConfig("H264", 2, "packetization-mode=1;profile-level-id=640c1f"), new VideoCodecConfig("VP9", 9, null))),
                new VideoConfig(new Resolution(1920, 1080), 60, new QualityLevelsConfig(
                    new QualityLevel(480, 270, 200_000, 15), new QualityLevel(960, 540, 800_000, 30), new QualityLevel(1920, 1080, 4_000_000, 60))),
                new AudioConfig(false, false, false, 16000, 1))) with { Metrics = new MetricsConfig(9191) };
        Assert.Equal(expected, result.Config);
    }

    [Fact]
    public void Anchors_and_aliases_are_followed()
    {
        using var dir = new TempConfigDirectory("server:\n  port: &p 9001\nrooms:\n  max_rooms: *p\n", "");

        var config = dir.Load().Config;

        Assert.Equal(9001, config.Server.Port);
        Assert.Equal(9001, config.Rooms.MaxRooms);
    }

    [Fact]
    public void Printed_configuration_hides_secrets()
    {
        var config = SfuConfig.Default with
        {
            Security = SecurityConfig.Default with { JwtSecret = "jwt-secret-value-0123456789abcdef", AdminToken = "admin-token-value" },
            Recording = RecordingConfig.Default with { S3 = S3Config.Default with { SecretKey = "s3-secret-value" } },
            WebRtc = WebRtcConfig.Default with { IceServers = ValueList.Of(new IceServerConfig(ValueList.Of("turn:t"), "u", "turn-credential-value")) },
        };

        var text = config.ToString();

        Assert.DoesNotContain("jwt-secret-value", text);
        Assert.DoesNotContain("admin-token-value", text);
        Assert.DoesNotContain("s3-secret-value", text);
        Assert.DoesNotContain("turn-credential-value", text);
        Assert.Contains("X-Auth-Token", text);
    }

    [Fact]
    public void Configuration_serializes_to_json_without_server_secrets()
    {
        var config = SfuConfig.Default with
        {
            Security = SecurityConfig.Default with { JwtSecret = "jwt-secret-value-0123456789abcdef", AdminToken = "admin-token-value" },
            Recording = RecordingConfig.Default with { S3 = S3Config.Default with { SecretKey = "s3-secret-value" } },
            WebRtc = WebRtcConfig.Default with
            {
                AnnouncedIp = System.Net.IPAddress.Parse("203.0.113.9"),
                IceServers = ValueList.Of(new IceServerConfig(ValueList.Of("turn:t"), "u", "turn-credential-value")),
            },
        };

        var json = System.Text.Json.JsonSerializer.Serialize(config);

        Assert.Contains("\"AnnouncedIp\":\"203.0.113.9\"", json);
        Assert.Contains("\"ListenIp\":\"0.0.0.0\"", json);
        Assert.DoesNotContain("jwt-secret-value", json);
        Assert.DoesNotContain("admin-token-value", json);
        Assert.DoesNotContain("s3-secret-value", json);

        // Browsers need the TURN credential, so the ICE servers keep it.
        Assert.Contains("turn-credential-value", json);
    }

    [Fact]
    public void Loading_from_the_command_line_reads_the_process_environment()
    {
        using var dir = new TempConfigDirectory("", "");

        // Only this test reads the real environment; every other one passes a dictionary.
        Environment.SetEnvironmentVariable("SFU__ROOMS__MAX_ROOMS", "42");
        try
        {
            var config = SfuConfigLoader.Load(SfuCommandLine.Parse(["--config", dir.Path, "--set", "rooms.max_participants=7"])).Config;

            Assert.Equal(42, config.Rooms.MaxRooms);
            Assert.Equal(7, config.Rooms.MaxParticipants);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SFU__ROOMS__MAX_ROOMS", null);
        }
    }
}
