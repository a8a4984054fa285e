using Microsoft.Extensions.Logging;
using Sfu.Service.Configuration.Yaml;

namespace Sfu.Service.Configuration.Binding;

/// <summary>Binds <c>webrtc.yaml</c>: the key names, ranges and cross-field rules of every section but media.</summary>
internal static class WebRtcFileBinder
{
    public static SfuConfig Bind(MapNode? root, BindContext context)
    {
        var file = new SectionReader(root, "", context);
        var config = SfuConfig.Default with
        {
            Server = Server(file.Section("server")),
            WebRtc = WebRtc(file.Section("webrtc")),
            Rooms = Rooms(file.Section("rooms")),
            Recording = Recording(file.Section("recording")),
            Performance = Performance(file.Section("performance")),
            Security = Security(file.Section("security")),
            Cluster = Cluster(file.Section("cluster")),
            Logging = Logging(file.Section("logging")),
            Metrics = Metrics(file.Section("metrics")),
        };
        file.Finish();
        CheckTcpPortsDistinct(config, context);
        return config;
    }

    private static ServerConfig Server(SectionReader s)
    {
        var d = ServerConfig.Default;
        var server = new ServerConfig(
            Host: s.String("host", d.Host, Validators.NoWhitespace),
            Port: s.Int("port", d.Port, 1, 65535),
            Tls: Tls(s.Section("tls")));
        s.Finish();
        return server;
    }

    private static TlsConfig Tls(SectionReader s)
    {
        var d = TlsConfig.Default;
        var tls = new TlsConfig(
            Cert: s.String("cert", d.Cert).Trim(),
            Key: s.String("key", d.Key).Trim(),
            Port: s.Int("port", d.Port, 1, 65535));
        s.Finish();
        if ((tls.Cert.Length == 0) != (tls.Key.Length == 0))
        {
            var (set, missing) = tls.Cert.Length == 0 ? ("key", "cert") : ("cert", "key");
            throw BindContext.Error(s.Context.SourceOf(s.PathOf(set)), s.PathOf(missing),
                $"must be set when {s.PathOf(set)} is (give both PEM files, or neither for no TLS)");
        }

        return tls;
    }

    private static WebRtcConfig WebRtc(SectionReader s)
    {
        var d = WebRtcConfig.Default;
        var webRtc = new WebRtcConfig(
            IceServers: s.List("ice_servers", d.IceServers, (item, path) => IceServer(s.ItemSection(item, path))),
            MaxBitrate: s.Int("max_bitrate", d.MaxBitrate, 10_000, 100_000_000),
            MinBitrate: s.Int("min_bitrate", d.MinBitrate, 10_000, 100_000_000),
            Simulcast: s.Bool("simulcast", d.Simulcast),
            JitterBufferTarget: s.Milliseconds("jitter_buffer_target", d.JitterBufferTarget, 0, 2000),
            JitterBufferMax: s.Milliseconds("jitter_buffer_max", d.JitterBufferMax, 0, 5000),
            Dtx: s.Bool("dtx", d.Dtx),
            Fec: s.Bool("fec", d.Fec),
            Nack: s.Bool("nack", d.Nack),
            UdpPort: s.Int("udp_port", d.UdpPort, 0, 65535),
            AnnouncedIp: s.IpAddress("announced_ip", d.AnnouncedIp),
            ListenIp: s.IpAddress("listen_ip", d.ListenIp) ?? throw s.Error("listen_ip", "must not be empty (use 0.0.0.0 for every interface)"),
            IceTcpPort: s.Int("ice_tcp_port", d.IceTcpPort, 0, 65535),
            ConsentTimeout: s.Seconds("consent_timeout", d.ConsentTimeout, 5, 3600));
        s.Finish();

        if (webRtc.MinBitrate > webRtc.MaxBitrate)
        {
            throw s.Error("min_bitrate", $"{webRtc.MinBitrate} is greater than {s.PathOf("max_bitrate")} ({webRtc.MaxBitrate})");
        }

        if (webRtc.JitterBufferTarget > webRtc.JitterBufferMax)
        {
            throw s.Error("jitter_buffer_target",
                $"{webRtc.JitterBufferTarget.TotalMilliseconds} ms is greater than {s.PathOf("jitter_buffer_max")} ({webRtc.JitterBufferMax.TotalMilliseconds} ms)");
        }

        return webRtc;
    }

    private static IceServerConfig IceServer(SectionReader s)
    {
        var urls = s.StringList("urls", ValueList<string>.Empty, Validators.IceUrl);
        var server = new IceServerConfig(urls, s.OptionalString("username"), s.OptionalString("credential"));
        s.Finish();
        if (urls.Count == 0)
        {
            throw s.Error("urls", "needs at least one stun: or turn: URL");
        }

        // RTCPeerConnection throws InvalidAccessError for a TURN URL without both (W3C WebRTC section 4.4.1.1).
        if (urls.Any(Validators.IsTurnUrl) && (server.Username is null || server.Credential is null))
        {
            throw s.Error(server.Username is null ? "username" : "credential", "must be set for turn: and turns: URLs");
        }

        return server;
    }

    private static RoomsConfig Rooms(SectionReader s)
    {
        var d = RoomsConfig.Default;
        var rooms = new RoomsConfig(
            MaxRooms: s.Int("max_rooms", d.MaxRooms, 1, 1_000_000),
            MaxParticipants: s.Int("max_participants", d.MaxParticipants, 1, 10_000),
            AutoCreate: s.Bool("auto_create", d.AutoCreate),
            IdleTimeout: s.Seconds("idle_timeout", d.IdleTimeout, 0, 86_400));
        s.Finish();
        return rooms;
    }

    private static RecordingConfig Recording(SectionReader s)
    {
        var d = RecordingConfig.Default;
        var recording = new RecordingConfig(
            Enabled: s.Bool("enabled", d.Enabled),
            Path: s.String("path", d.Path, Validators.NonEmpty),
            Format: s.Choice("format", d.Format, ("webm", RecordingFormat.WebM), ("mkv", RecordingFormat.Mkv)),
            Storage: s.Choice("storage", d.Storage, ("local", RecordingStorage.Local), ("s3", RecordingStorage.S3)),
            S3: S3(s.Section("s3")));
        s.Finish();
        if (recording.Storage == RecordingStorage.S3 && recording.S3.Bucket.Length == 0)
        {
            throw BindContext.Error(s.Context.SourceOf(s.PathOf("storage")), s.PathOf("s3.bucket"),
                $"must be set when {s.PathOf("storage")} is s3");
        }

        return recording;
    }

    private static S3Config S3(SectionReader s)
    {
        var d = S3Config.Default;
        var s3 = new S3Config(
            Bucket: s.String("bucket", d.Bucket).Trim(),
            Region: s.String("region", d.Region, Validators.NoWhitespace),
            Endpoint: s.String("endpoint", d.Endpoint, Validators.HttpUrlOrEmpty),
            AccessKey: s.String("access_key", d.AccessKey),
            SecretKey: s.String("secret_key", d.SecretKey),
            Prefix: s.String("prefix", d.Prefix));
        s.Finish();
        return s3;
    }

    private static PerformanceConfig Performance(SectionReader s)
    {
        var d = PerformanceConfig.Default;
        var performance = new PerformanceConfig(
            WorkerThreads: s.Int("worker_threads", d.WorkerThreads, 0, 1024),
            MaxCpuPerRoom: s.Int("max_cpu_per_room", d.MaxCpuPerRoom, 0, 100),
            HardwareAcceleration: s.Bool("hardware_acceleration", d.HardwareAcceleration),
            MaxMemoryPerRoomMb: s.Int("max_memory_per_room", d.MaxMemoryPerRoomMb, 0, 1_048_576),
            MaxMemoryTotalMb: s.Int("max_memory_total", d.MaxMemoryTotalMb, 0, 1_048_576),
            GarbageCollectionInterval: s.Seconds("garbage_collection_interval", d.GarbageCollectionInterval, 0, 86_400),
            InlineMedia: s.Bool("inline_media", d.InlineMedia));
        s.Finish();
        if (performance.MaxMemoryPerRoomMb > 0 && performance.MaxMemoryTotalMb > 0
            && performance.MaxMemoryPerRoomMb > performance.MaxMemoryTotalMb)
        {
            throw s.Error("max_memory_per_room",
                $"{performance.MaxMemoryPerRoomMb} is greater than {s.PathOf("max_memory_total")} ({performance.MaxMemoryTotalMb})");
        }

        return performance;
    }

    private static SecurityConfig Security(SectionReader s)
    {
        var d = SecurityConfig.Default;
        var security = new SecurityConfig(
            RequireAuth: s.Bool("require_auth", d.RequireAuth),
            AuthTokenHeader: s.String("auth_token_header", d.AuthTokenHeader, Validators.HeaderName),
            JwtSecret: s.String("jwt_secret", d.JwtSecret, Validators.JwtSecret),
            AdminToken: s.String("admin_token", d.AdminToken),
            RateLimit: RateLimit(s.Section("rate_limit")),
            Limits: Limits(s.Section("limits")));
        s.Finish();
        if (security.RequireAuth && security.JwtSecret.Length == 0)
        {
            throw BindContext.Error(s.Context.SourceOf(s.PathOf("require_auth")), s.PathOf("jwt_secret"),
                $"must be set when {s.PathOf("require_auth")} is true (e.g. in env SFU__SECURITY__JWT_SECRET)");
        }

        return security;
    }

    private static RateLimitConfig RateLimit(SectionReader s)
    {
        var d = RateLimitConfig.Default;
        var rateLimit = new RateLimitConfig(
            Enabled: s.Bool("enabled", d.Enabled),
            MaxRoomsPerIp: s.Int("max_rooms_per_ip", d.MaxRoomsPerIp, 1, 1_000_000),
            MaxParticipantsPerIp: s.Int("max_participants_per_ip", d.MaxParticipantsPerIp, 1, 1_000_000),
            RequestsPerMinute: s.Int("requests_per_minute", d.RequestsPerMinute, 1, 1_000_000));
        s.Finish();
        return rateLimit;
    }

    private static MessageLimitsConfig Limits(SectionReader s)
    {
        var d = MessageLimitsConfig.Default;
        var limits = new MessageLimitsConfig(
            MaxMessageBytes: s.Int("max_message_bytes", d.MaxMessageBytes, 1024, 16_777_216),
            MaxMessagesPerSecond: s.Int("max_messages_per_second", d.MaxMessagesPerSecond, 1, 10_000),
            MaxSdpBytes: s.Int("max_sdp_bytes", d.MaxSdpBytes, 1024, 16_777_216),
            MaxTracksPerParticipant: s.Int("max_tracks_per_participant", d.MaxTracksPerParticipant, 1, 256));
        s.Finish();

        // An offer or answer travels inside one signaling message, so a bigger SDP limit could never be reached.
        if (limits.MaxSdpBytes > limits.MaxMessageBytes)
        {
            throw s.Error("max_sdp_bytes", $"{limits.MaxSdpBytes} is greater than {s.PathOf("max_message_bytes")} ({limits.MaxMessageBytes})");
        }

        return limits;
    }

    private static ClusterConfig Cluster(SectionReader s)
    {
        var d = ClusterConfig.Default;
        var cluster = new ClusterConfig(
            Hostname: s.String("hostname", d.Hostname, Validators.NoWhitespace),
            Port: s.Int("port", d.Port, 0, 65535),
            SeedNodes: s.StringList("seed_nodes", d.SeedNodes, Validators.AkkaAddress),
            Roles: s.StringList("roles", d.Roles, Validators.NoWhitespace));
        s.Finish();
        if (cluster.IsSingleNode && cluster.SeedNodes.Count > 0)
        {
            throw BindContext.Error(s.Context.SourceOf(s.PathOf("seed_nodes")), s.PathOf("seed_nodes"),
                $"needs {s.PathOf("port")} above 0 (port 0 runs one embedded node that joins itself)");
        }

        return cluster;
    }

    private static LoggingConfig Logging(SectionReader s)
    {
        var d = LoggingConfig.Default;
        var logging = new LoggingConfig(
            Level: s.Choice("level", d.Level,
                ("Trace", LogLevel.Trace), ("Debug", LogLevel.Debug), ("Information", LogLevel.Information),
                ("Warning", LogLevel.Warning), ("Error", LogLevel.Error), ("Critical", LogLevel.Critical), ("None", LogLevel.None)),
            Format: s.Choice("format", d.Format, ("text", LogFormat.Text), ("json", LogFormat.Json)));
        s.Finish();
        return logging;
    }

    private static MetricsConfig Metrics(SectionReader s)
    {
        var metrics = new MetricsConfig(Port: s.Int("port", MetricsConfig.Default.Port, 0, 65535));
        s.Finish();
        return metrics;
    }

    /// <summary>Every TCP listener needs its own port; a clash would only surface as a bind error at startup.</summary>
    private static void CheckTcpPortsDistinct(SfuConfig config, BindContext context)
    {
        var listeners = new List<(string Path, int Port)> { ("server.port", config.Server.Port) };
        if (config.Server.Tls.Enabled)
        {
            listeners.Add(("server.tls.port", config.Server.Tls.Port));
        }

        if (config.Metrics.Enabled)
        {
            listeners.Add(("metrics.port", config.Metrics.Port));
        }

        if (config.WebRtc.IceTcpEnabled)
        {
            listeners.Add(("webrtc.ice_tcp_port", config.WebRtc.IceTcpPort));
        }

        if (!config.Cluster.IsSingleNode)
        {
            listeners.Add(("cluster.port", config.Cluster.Port));
        }

        for (var i = 1; i < listeners.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (listeners[i].Port == listeners[j].Port)
                {
                    var (path, port) = listeners[i];
                    throw BindContext.Error(context.SourceOf(path, listeners[j].Path), path,
                        $"{port} is also {listeners[j].Path} (both are TCP listeners)");
                }
            }
        }
    }
}
