namespace Sfu.Service.Tests.Configuration;

/// <summary>Each bad file gives exactly one line: file, key path, reason.</summary>
public class ValidationErrorTests
{
    [Theory]
    [InlineData("webrtc:\n  max_bitrate: fast\n", "webrtc.max_bitrate: expected an integer, got \"fast\"")]
    [InlineData("webrtc:\n  max_bitrate: 2.5\n", "webrtc.max_bitrate: expected an integer, got \"2.5\"")]
    [InlineData("rooms:\n  max_participants: 0\n", "rooms.max_participants: 0 is out of range (1..10000)")]
    [InlineData("rooms:\n  max_participants: 10001\n", "rooms.max_participants: 10001 is out of range (1..10000)")]
    [InlineData("server:\n  port: -1\n", "server.port: -1 is out of range (1..65535)")]
    [InlineData("server:\n  port: 99999999999999999999\n", "server.port: 1000000000000 is out of range (1..65535)")]
    [InlineData("server:\n  port: [1, 2]\n", "server.port: expected an integer, got a list")]
    [InlineData("server: 5\n", "server: expected a mapping, got \"5\"")]
    [InlineData("server:\n  tls: [a]\n", "server.tls: expected a mapping, got a list")]
    [InlineData("server:\n  host: my host\n", "server.host: must not contain spaces, got \"my host\"")]
    [InlineData("webrtc:\n  simulcast: maybe\n", "webrtc.simulcast: expected true or false, got \"maybe\"")]
    [InlineData("webrtc:\n  udp_port: 65536\n", "webrtc.udp_port: 65536 is out of range (0..65535)")]
    [InlineData("webrtc:\n  listen_ip: 10\n", "webrtc.listen_ip: expected an IP address, got \"10\"")]
    [InlineData("webrtc:\n  listen_ip: \"\"\n", "webrtc.listen_ip: must not be empty (use 0.0.0.0 for every interface)")]
    [InlineData("webrtc:\n  announced_ip: example.com\n", "webrtc.announced_ip: expected an IP address, got \"example.com\"")]
    [InlineData("webrtc:\n  consent_timeout: 1\n", "webrtc.consent_timeout: 1 is out of range (5..3600)")]
    [InlineData("webrtc:\n  ice_servers: stun:x\n", "webrtc.ice_servers: expected a list, got \"stun:x\"")]
    [InlineData("webrtc:\n  ice_servers: [{urls: [\"http://x\"]}]\n",
        "webrtc.ice_servers[0].urls[0]: expected a stun:, stuns:, turn: or turns: URL, got \"http://x\"")]
    [InlineData("webrtc:\n  ice_servers: [{urls: []}]\n", "webrtc.ice_servers[0].urls: needs at least one stun: or turn: URL")]
    [InlineData("webrtc:\n  ice_servers: [{username: u}]\n", "webrtc.ice_servers[0].urls: needs at least one stun: or turn: URL")]
    [InlineData("webrtc:\n  ice_servers:\n    - urls: [\"stun:a\"]\n    - urls: [\"turn:b\"]\n      username: u\n",
        "webrtc.ice_servers[1].credential: must be set for turn: and turns: URLs")]
    [InlineData("recording:\n  format: avi\n", "recording.format: expected one of webm, mkv, got \"avi\"")]
    [InlineData("recording:\n  path: \"\"\n", "recording.path: must not be empty")]
    [InlineData("recording:\n  s3:\n    endpoint: minio:9000\n", "recording.s3.endpoint: expected an http:// or https:// URL, got \"minio:9000\"")]
    [InlineData("performance:\n  max_cpu_per_room: 101\n", "performance.max_cpu_per_room: 101 is out of range (0..100)")]
    [InlineData("security:\n  jwt_secret: short\n", "security.jwt_secret: must be at least 32 characters (HS256 needs a 256-bit key), got 5")]
    [InlineData("security:\n  auth_token_header: \"X Token\"\n", "security.auth_token_header: expected an HTTP header name, got \"X Token\"")]
    [InlineData("security:\n  limits:\n    max_tracks_per_participant: 0\n", "security.limits.max_tracks_per_participant: 0 is out of range (1..256)")]
    [InlineData("cluster:\n  port: 4053\n  seed_nodes: [\"10.0.0.1:4053\"]\n",
        "cluster.seed_nodes[0]: expected an Akka address like akka.tcp://sfu@10.0.0.1:4053, got \"10.0.0.1:4053\"")]
    [InlineData("logging:\n  level: verbose\n",
        "logging.level: expected one of Trace, Debug, Information, Warning, Error, Critical, None, got \"verbose\"")]
    [InlineData("logging:\n  format: xml\n", "logging.format: expected one of text, json, got \"xml\"")]
    public void Bad_value_in_webrtc_yaml(string yaml, string expected)
    {
        using var dir = new TempConfigDirectory(yaml, "");

        Assert.Equal($"{dir.WebRtcFile}: {expected}", dir.LoadError());
    }

    [Theory]
    [InlineData("codecs:\n  audio: [{name: opus, clock_rate: 44100}]\n", "codecs.audio[0].clock_rate: opus is always 48000/2 in SDP, got 44100/2")]
    [InlineData("codecs:\n  audio: [{name: opus, channels: 1}]\n", "codecs.audio[0].channels: opus is always 48000/2 in SDP, got 48000/1")]
    [InlineData("codecs:\n  audio: [{name: speex}]\n", "codecs.audio[0].name: expected one of opus, PCMU, PCMA, G722, got \"speex\"")]
    [InlineData("codecs:\n  audio: [{priority: 1}]\n", "codecs.audio[0].name: missing (one of opus, PCMU, PCMA, G722)")]
    [InlineData("codecs:\n  audio: []\n", "codecs.audio: needs at least one codec")]
    [InlineData("codecs:\n  video: [{name: VP8}, {name: VP7}]\n", "codecs.video[1].name: expected one of VP8, VP9, H264, AV1, got \"VP7\"")]
    [InlineData("codecs:\n  video: [{name: VP8, priority: -1}]\n", "codecs.video[0].priority: -1 is out of range (0..1000)")]
    [InlineData("codecs:\n  video: [{name: H264, fmtp: profile-level-id=42e0}]\n",
        "codecs.video[0].fmtp: profile-level-id must be 6 hex digits, got \"42e0\"")]
    [InlineData("codecs:\n  video: [{name: VP9, fmtp: profile-id}]\n",
        "codecs.video[0].fmtp: expected name=value pairs separated by ';', got \"profile-id\"")]
    [InlineData("video:\n  preferred_resolution: big\n", "video.preferred_resolution: expected WIDTHxHEIGHT like 1280x720, got \"big\"")]
    [InlineData("video:\n  preferred_resolution: 8000x8000\n", "video.preferred_resolution: 8000x8000 is out of range (16x16..7680x4320)")]
    [InlineData("video:\n  max_framerate: 0\n", "video.max_framerate: 0 is out of range (1..120)")]
    [InlineData("video:\n  quality_levels:\n    low:\n      width: 8\n", "video.quality_levels.low.width: 8 is out of range (16..7680)")]
    [InlineData("audio:\n  channels: 6\n", "audio.channels: 6 is out of range (1..2)")]
    [InlineData("audio:\n  noise_suppression: sometimes\n", "audio.noise_suppression: expected true or false, got \"sometimes\"")]
    public void Bad_value_in_media_yaml(string yaml, string expected)
    {
        using var dir = new TempConfigDirectory("", yaml);

        Assert.Equal($"{dir.MediaFile}: {expected}", dir.LoadError());
    }

    [Theory]
    [InlineData("webrtc:\n  max_bitrate: 1\n bad: 2\n", "line 3, column 2: invalid YAML: while parsing a block mapping, did not find expected key")]
    [InlineData("webrtc:\n  ice_servers: [{urls: [a]\nrooms: {}\n", "line 2, column 16: invalid YAML: the YAML parser gave up after this point (an unclosed '[', '{' or quote?)")]
    [InlineData("server:\n  host: \"unterminated\n", "line 2, column 9: invalid YAML: while scanning a quoted scalar, found unexpected end of stream")]
    [InlineData("server:\n  port: 1\n  port: 2\n", "line 3, column 3: invalid YAML: duplicate key \"port\" (first at line 2)")]
    [InlineData("rooms:\n  max_rooms: *missing\n", "line 2, column 14: invalid YAML: unknown alias *missing")]
    [InlineData("server: {}\n---\nrooms: {}\n", "line 2, column 1: invalid YAML: expected one YAML document, found a second one (remove the '---')")]
    [InlineData("- server\n- rooms\n", "line 1: expected sections (a mapping) at the top level, got a list")]
    [InlineData("just text\n", "line 1: expected sections (a mapping) at the top level, got a scalar")]
    public void Bad_yaml_syntax_names_file_and_line(string yaml, string expected)
    {
        using var dir = new TempConfigDirectory(yaml, "");

        Assert.Equal($"{dir.WebRtcFile}: {expected}", dir.LoadError());
    }

    [Fact]
    public void Bad_yaml_syntax_in_media_yaml_names_that_file()
    {
        using var dir = new TempConfigDirectory("", "video:\n  max_framerate: 30\n  - oops\n");

        Assert.StartsWith($"{dir.MediaFile}: line 3, column 3: invalid YAML: ", dir.LoadError());
    }

    [Theory]
    [InlineData("webrtc:\n  min_bitrate: 3000000\n", "webrtc.min_bitrate: 3000000 is greater than webrtc.max_bitrate (2500000)")]
    [InlineData("webrtc:\n  jitter_buffer_target: 300\n", "webrtc.jitter_buffer_target: 300 ms is greater than webrtc.jitter_buffer_max (200 ms)")]
    [InlineData("server:\n  tls:\n    cert: /c.pem\n",
        "server.tls.key: must be set when server.tls.cert is (give both PEM files, or neither for no TLS)")]
    [InlineData("server:\n  tls:\n    key: /k.pem\n",
        "server.tls.cert: must be set when server.tls.key is (give both PEM files, or neither for no TLS)")]
    [InlineData("recording:\n  storage: s3\n", "recording.s3.bucket: must be set when recording.storage is s3")]
    [InlineData("security:\n  require_auth: true\n",
        "security.jwt_secret: must be set when security.require_auth is true (e.g. in env SFU__SECURITY__JWT_SECRET)")]
    [InlineData("security:\n  limits:\n    max_message_bytes: 4096\n",
        "security.limits.max_sdp_bytes: 65536 is greater than security.limits.max_message_bytes (4096)")]
    [InlineData("performance:\n  max_memory_per_room: 512\n  max_memory_total: 256\n",
        "performance.max_memory_per_room: 512 is greater than performance.max_memory_total (256)")]
    [InlineData("cluster:\n  seed_nodes: [\"akka.tcp://sfu@10.0.0.1:4053\"]\n",
        "cluster.seed_nodes: needs cluster.port above 0 (port 0 runs one embedded node that joins itself)")]
    [InlineData("webrtc:\n  ice_tcp_port: 8080\n", "webrtc.ice_tcp_port: 8080 is also server.port (both are TCP listeners)")]
    [InlineData("server:\n  tls: {cert: c, key: k, port: 8080}\n", "server.tls.port: 8080 is also server.port (both are TCP listeners)")]
    public void Cross_field_violation_in_webrtc_yaml(string yaml, string expected)
    {
        using var dir = new TempConfigDirectory(yaml, "");

        Assert.Equal($"{dir.WebRtcFile}: {expected}", dir.LoadError());
    }

    [Theory]
    [InlineData("video:\n  quality_levels:\n    medium:\n      bitrate: 100000\n",
        "video.quality_levels.medium.bitrate: 100000 must be greater than video.quality_levels.low.bitrate (150000)")]
    [InlineData("video:\n  quality_levels:\n    high:\n      width: 600\n",
        "video.quality_levels.high: 600x720 is smaller than video.quality_levels.medium (640x480)")]
    [InlineData("video:\n  max_framerate: 24\n", "video.quality_levels.medium.framerate: 30 is greater than video.max_framerate (24)")]
    public void Cross_field_violation_in_media_yaml(string yaml, string expected)
    {
        using var dir = new TempConfigDirectory("", yaml);

        Assert.Equal($"{dir.MediaFile}: {expected}", dir.LoadError());
    }

    [Fact]
    public void Unknown_keys_are_warnings_with_file_line_and_a_suggestion()
    {
        using var dir = new TempConfigDirectory(
            "webrtc:\n  udp_prot: 1\nextras:\n  x: 1\nrooms:\n  max_rooms: 3\n",
            "video:\n  quality_levels:\n    ultra: {}\ncodecs:\n  video: [{name: VP8, profile: 1}]\n");

        var result = dir.Load();

        Assert.Equal(3, result.Config.Rooms.MaxRooms);
        Assert.Equal(
            [
                $"{dir.WebRtcFile}: webrtc.udp_prot: unknown key, ignored (line 2; did you mean \"udp_port\"?)",
                $"{dir.WebRtcFile}: extras: unknown key, ignored (line 3)",
                $"{dir.MediaFile}: codecs.video[0].profile: unknown key, ignored (line 5)",
                $"{dir.MediaFile}: video.quality_levels.ultra: unknown key, ignored (line 3)",
            ],
            result.Warnings);
    }

    [Fact]
    public void Keys_are_case_sensitive_in_files()
    {
        using var dir = new TempConfigDirectory("Server:\n  port: 1\n", "");

        var result = dir.Load();

        Assert.Equal(8080, result.Config.Server.Port);
        Assert.Equal([$"{dir.WebRtcFile}: Server: unknown key, ignored (line 1; did you mean \"server\"?)"], result.Warnings);
    }
}
