using System.Net;
using Sfu.Service.Configuration;
using static Sfu.Service.Tests.Configuration.TempConfigDirectory;

namespace Sfu.Service.Tests.Configuration;

public class OverrideTests
{
    [Fact]
    public void Environment_wins_over_the_file_and_set_wins_over_the_environment()
    {
        using var dir = new TempConfigDirectory("server:\n  port: 8081\nrooms:\n  max_rooms: 7\n", "");

        var config = dir.Load(Env(("SFU__SERVER__PORT", "9000"), ("SFU__ROOMS__MAX_ROOMS", "8")), "rooms.max_rooms=9").Config;

        Assert.Equal(9000, config.Server.Port);
        Assert.Equal(9, config.Rooms.MaxRooms);
    }

    [Fact]
    public void Environment_names_are_case_insensitive_and_other_variables_are_ignored()
    {
        using var dir = new TempConfigDirectory("", "");

        var result = dir.Load(Env(
            ("sfu__webrtc__UDP_PORT", "0"),
            ("Sfu__Server__Tls__Port", "9443"),
            ("PATH", "/usr/bin"),
            ("SFU_SERVER_PORT", "1"),
            ("SFU__LOGGING__LEVEL", null)));

        Assert.Equal(0, result.Config.WebRtc.UdpPort);
        Assert.Equal(9443, result.Config.Server.Tls.Port);
        Assert.Equal(8080, result.Config.Server.Port);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Media_keys_use_the_media_segment()
    {
        using var dir = new TempConfigDirectory("", "video:\n  max_framerate: 30\n");

        var config = dir.Load(Env(("SFU__MEDIA__AUDIO__CHANNELS", "1")), "media.video.quality_levels.high.framerate=25", "media.video.quality_levels.medium.framerate=25", "media.video.max_framerate=25").Config;

        Assert.Equal(1, config.Media.Audio.Channels);
        Assert.Equal(25, config.Media.Video.MaxFramerate);
        Assert.Equal(25, config.Media.Video.QualityLevels.High.Framerate);
    }

    [Fact]
    public void Secrets_come_from_the_environment()
    {
        using var dir = new TempConfigDirectory("security:\n  require_auth: true\n", "");
        const string secret = "a-jwt-secret-of-at-least-32-chars!";

        var config = dir.Load(Env(("SFU__SECURITY__JWT_SECRET", secret), ("SFU__RECORDING__S3__SECRET_KEY", "sk"))).Config;

        Assert.Equal(secret, config.Security.JwtSecret);
        Assert.Equal("sk", config.Recording.S3.SecretKey);
    }

    [Fact]
    public void Empty_override_clears_a_string()
    {
        using var dir = new TempConfigDirectory("webrtc:\n  announced_ip: 203.0.113.1\n", "");

        Assert.Equal(IPAddress.Parse("203.0.113.1"), dir.Load().Config.WebRtc.AnnouncedIp);
        Assert.Null(dir.Load(Env(("SFU__WEBRTC__ANNOUNCED_IP", ""))).Config.WebRtc.AnnouncedIp);
    }

    [Fact]
    public void Lists_are_overridden_whole_as_comma_separated_text_or_yaml_flow()
    {
        using var dir = new TempConfigDirectory("cluster:\n  roles: [a]\n", "");

        var config = dir.Load(
            Env(("SFU__CLUSTER__ROLES", "sfu, edge")),
            "webrtc.ice_servers=[{urls: [stun:stun.example.org:3478]}, {urls: [turn:t.example.org], username: u, credential: c}]",
            "cluster.port=4053",
            "cluster.seed_nodes=akka.tcp://sfu@10.0.0.1:4053,akka.tcp://sfu@10.0.0.2:4053").Config;

        Assert.Equal(ValueList.Of("sfu", "edge"), config.Cluster.Roles);
        Assert.Equal(ValueList.Of("akka.tcp://sfu@10.0.0.1:4053", "akka.tcp://sfu@10.0.0.2:4053"), config.Cluster.SeedNodes);
        Assert.Equal(
            ValueList.Of(
                new IceServerConfig(ValueList.Of("stun:stun.example.org:3478"), null, null),
                new IceServerConfig(ValueList.Of("turn:t.example.org"), "u", "c")),
            config.WebRtc.IceServers);
        Assert.Empty(dir.Load(Env(("SFU__CLUSTER__ROLES", ""))).Config.Cluster.Roles);
    }

    [Fact]
    public void Override_into_an_aliased_section_changes_only_that_section()
    {
        using var dir = new TempConfigDirectory("", "video:\n  quality_levels:\n    low: &l {width: 320, height: 240, bitrate: 150000, framerate: 15}\n    medium: *l\n    high: {width: 1280, height: 720, bitrate: 2500000, framerate: 30}\n");

        var levels = dir.Load(null, "media.video.quality_levels.medium.bitrate=500000").Config.Media.Video.QualityLevels;

        Assert.Equal(150_000, levels.Low.Bitrate);
        Assert.Equal(500_000, levels.Medium.Bitrate);
    }

    [Fact]
    public void A_section_can_be_set_as_yaml_flow()
    {
        using var dir = new TempConfigDirectory("", "");

        var tls = dir.Load(null, "server.tls={cert: /c.pem, key: /k.pem}").Config.Server.Tls;

        Assert.Equal(new TlsConfig("/c.pem", "/k.pem", 8443), tls);
    }

    [Fact]
    public void Set_accepts_values_containing_equals_signs()
    {
        using var dir = new TempConfigDirectory("", "");

        var config = dir.Load(null, "media.codecs.video=[{name: H264, fmtp: packetization-mode=1;profile-level-id=42e01f}]").Config;

        Assert.Equal(ValueList.Of(new VideoCodecConfig("H264", 1, "packetization-mode=1;profile-level-id=42e01f")), config.Media.Codecs.Video);
    }

    [Theory]
    [InlineData("SFU__WEBRTC__MAX_BITRATE", "fast", "env SFU__WEBRTC__MAX_BITRATE: webrtc.max_bitrate: expected an integer, got \"fast\"")]
    [InlineData("SFU__SERVER__PORT", "", "env SFU__SERVER__PORT: server.port: expected an integer, got \"\"")]
    [InlineData("SFU__ROOMS__AUTO_CREATE", "sometimes", "env SFU__ROOMS__AUTO_CREATE: rooms.auto_create: expected true or false, got \"sometimes\"")]
    [InlineData("SFU__MEDIA__VIDEO__MAX_FRAMERATE", "500", "env SFU__MEDIA__VIDEO__MAX_FRAMERATE: video.max_framerate: 500 is out of range (1..120)")]
    [InlineData("SFU__SERVER__TLS", "{cert: c", "env SFU__SERVER__TLS: server.tls: invalid YAML value: while parsing a flow mapping, did not find expected ',' or '}'")]
    [InlineData("SFU__WEBRTC__ICE_SERVERS", "stun:a", "env SFU__WEBRTC__ICE_SERVERS: webrtc.ice_servers[0]: expected a mapping, got \"stun:a\"")]
    [InlineData("SFU__WEBRTC__MIN_BITRATE", "3000000", "env SFU__WEBRTC__MIN_BITRATE: webrtc.min_bitrate: 3000000 is greater than webrtc.max_bitrate (2500000)")]
    [InlineData("SFU__RECORDING__STORAGE", "s3", "env SFU__RECORDING__STORAGE: recording.s3.bucket: must be set when recording.storage is s3")]
    public void Environment_values_are_validated_and_the_message_names_the_variable(string name, string value, string expected)
    {
        using var dir = new TempConfigDirectory("", "");

        Assert.Equal(expected, dir.LoadError(Env((name, value))));
    }

    [Theory]
    [InlineData("rooms.max_participants=0", "--set rooms.max_participants=0: rooms.max_participants: 0 is out of range (1..10000)")]
    [InlineData("webrtc.udp_port=x", "--set webrtc.udp_port=x: webrtc.udp_port: expected an integer, got \"x\"")]
    [InlineData("webrtc.udp_port", "--set webrtc.udp_port: expected path=value, e.g. --set webrtc.udp_port=0")]
    [InlineData("=1", "--set =1: expected a key path like webrtc.udp_port before '='")]
    [InlineData("webrtc..udp_port=1", "--set webrtc..udp_port=1: expected a key path like webrtc.udp_port before '='")]
    [InlineData("media=1", "--set media=1: expected a key path like webrtc.udp_port before '='")]
    [InlineData("webrtc.udp_prot=1", "--set webrtc.udp_prot=1: webrtc.udp_prot: unknown key; did you mean \"udp_port\"?")]
    [InlineData("nosuch.key=1", "--set nosuch.key=1: nosuch: unknown key")]
    [InlineData("webrtc.ice_servers.0.urls=[stun:a]", "--set webrtc.ice_servers.0.urls=[stun:a]: webrtc.ice_servers: is a list; override the whole list, e.g. webrtc.ice_servers=[...]")]
    [InlineData("server.port.x=1", "--set server.port.x=1: server.port: expected an integer, got a mapping")]
    [InlineData("media.codecs.audio=[]", "--set media.codecs.audio=[]: codecs.audio: needs at least one codec")]
    public void Set_values_are_validated_and_the_message_names_the_argument(string argument, string expected)
    {
        using var dir = new TempConfigDirectory("webrtc:\n  ice_servers: [{urls: [\"stun:x\"]}]\n", "");

        Assert.Equal(expected, dir.LoadError(null, argument));
    }

    [Fact]
    public void Set_label_keeps_the_message_on_one_line()
    {
        using var dir = new TempConfigDirectory("", "");

        Assert.Equal("--set rooms.max_rooms=1\\n2: rooms.max_rooms: expected an integer, got \"1\\n2\"", dir.LoadError(null, "rooms.max_rooms=1\n2"));
    }

    [Fact]
    public void Cross_field_error_blames_the_override_that_broke_it()
    {
        using var dir = new TempConfigDirectory("webrtc:\n  max_bitrate: 1000000\n", "");

        Assert.Equal(
            "--set webrtc.min_bitrate=2000000: webrtc.min_bitrate: 2000000 is greater than webrtc.max_bitrate (1000000)",
            dir.LoadError(null, "webrtc.min_bitrate=2000000"));
        Assert.Equal(
            $"{dir.WebRtcFile}: webrtc.min_bitrate: 150000 is greater than webrtc.max_bitrate (100000)",
            dir.LoadError(null, "webrtc.max_bitrate=100000").Replace("--set webrtc.max_bitrate=100000", dir.WebRtcFile));
    }

    [Fact]
    public void Unknown_environment_keys_are_warnings()
    {
        using var dir = new TempConfigDirectory("", "");

        var result = dir.Load(Env(("SFU__WEBRTC__UDP_PROT", "1"), ("SFU__", "x"), ("SFU__SERVER____PORT", "1")));

        Assert.Equal(
            [
                "env SFU__: not a key path (expected SFU__SECTION__KEY), ignored",
                "env SFU__SERVER____PORT: not a key path (expected SFU__SECTION__KEY), ignored",
                "env SFU__WEBRTC__UDP_PROT: webrtc.udp_prot: unknown key, ignored (did you mean \"udp_port\"?)",
            ],
            result.Warnings);
    }
}
