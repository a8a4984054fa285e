using System.Net;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Sfu.Actors.Media;
using Sfu.Actors.Rooms;
using Sfu.Actors.Signaling;
using Sfu.Service.Configuration;
using Sfu.Streams.Bandwidth;
using Sfu.Service.Hosting;
using Sfu.Web;
using Sfu.Web.Api;
using Sfu.Web.Security;
using Sfu.Web.Signaling;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Transport;

namespace Sfu.Service;

/// <summary>
/// Builds the whole server: configuration, the UDP media port, the Akka cluster with rooms as sharded entities,
/// and the ASP.NET endpoints. Program.cs runs it; tests build it in-process with their own ports.
/// </summary>
public static class SfuApplication
{
    public static WebApplication Build(string[] args)
    {
        var commandLine = SfuCommandLine.Parse(args);
        var loaded = SfuConfigLoader.Load(commandLine);
        var config = loaded.Config;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = commandLine.Remaining.ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        SfuLogging.Configure(builder.Logging, config.Logging);
        if (!commandLine.Remaining.Any(a => a.StartsWith("--urls", StringComparison.Ordinal)))
            builder.WebHost.UseUrls($"http://{HostFor(config.Server.Host)}:{config.Server.Port}");
        builder.AddSfuOperations(config, commandLine);

        var announced = AnnouncedAddress.Resolve(config.WebRtc);
        var media = MediaSettingsFrom(config, announced);
        var rooms = new RoomSettings
        {
            MaxParticipants = config.Rooms.MaxParticipants,
            MaxRooms = config.Rooms.MaxRooms,
            AutoCreate = config.Rooms.AutoCreate,
            IdleTimeout = config.Rooms.IdleTimeout,
        };
        var limits = new SignalingLimits
        {
            MaxMessageBytes = config.Security.Limits.MaxMessageBytes,
            MaxMessagesPerSecond = config.Security.Limits.MaxMessagesPerSecond,
            MaxSdpBytes = config.Security.Limits.MaxSdpBytes,
        };

        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RoomDirectory>();
        builder.Services.AddSingleton(sp => new UdpMux(new IPEndPoint(config.WebRtc.ListenIp, config.WebRtc.UdpPort), TimeProvider.System,
            receiveThreads: config.Performance.EffectiveWorkerThreads, report: m => sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sfu.Media").LogWarning("{Message}", m),
            connectTimeout: config.WebRtc.ConsentTimeout));
        builder.Services.AddSingleton(sp => new MediaNodeHolder(sp.GetRequiredService<UdpMux>(), media, rooms.WithAdmission(sp), sp.MediaObservers()));
        builder.Services.AddSfuWeb(limits);
        builder.Services.AddSfuApi(ApiOptionsFrom(config), SecurityOptionsFrom(config.Security));

        var hocon = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "sfu.hocon"));
        var workers = config.Performance.WorkerThreads > 0 ? config.Performance.WorkerThreads : Environment.ProcessorCount;
        builder.Services.AddAkka("sfu", (akka, sp) =>
        {
            akka.AddHocon(ConfigurationFactory.ParseString($"akka.actor.sfu-media-dispatcher.dedicated-thread-pool.thread-count = {workers}"), HoconAddMode.Prepend)
                .AddHocon(ConfigurationFactory.ParseString(hocon), HoconAddMode.Append)
                .ConfigureLoggers(l =>
                {
                    l.ClearLoggers();
                    l.AddLoggerFactory();
                })
                .WithRemoting(config.Cluster.Hostname, config.Cluster.Port)
                .WithClustering(new ClusterOptions
                {
                    SeedNodes = config.Cluster.SeedNodes.ToArray(),
                    Roles = config.Cluster.Roles.ToArray(),
                })
                .WithShardRegion<RoomRegion>("room", (system, _, _) =>
                {
                    var node = sp.GetRequiredService<MediaNodeHolder>().Get(system);
                    var directory = sp.GetRequiredService<RoomDirectory>();
                    return roomId => RoomActor.Props(roomId, node, directory, sharded: true);
                }, new RoomMessageExtractor(), new ShardOptions { RememberEntities = false })
                .AddStartup((system, _) =>
                {
                    // Single-node default: join ourselves. With seed nodes configured the cluster forms through them.
                    if (config.Cluster.SeedNodes.Count == 0)
                    {
                        var cluster = Cluster.Get(system);
                        cluster.Join(cluster.SelfAddress);
                    }
                });
        });

        var app = builder.Build();
        foreach (var warning in loaded.Warnings) app.Logger.LogWarning("config: {Warning}", warning);
        app.Logger.LogInformation("media on udp {Listen}:{Port}, announced as {Announced}", config.WebRtc.ListenIp, config.WebRtc.UdpPort, announced);

        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<UdpMux>().Start());
        app.Lifetime.ApplicationStopped.Register(() => app.Services.GetRequiredService<UdpMux>().Dispose());

        app.MapSfuOperations();
        app.MapSfuApi();
        app.MapSfuWeb();
        return app;
    }

    private static string HostFor(string host) => host is "0.0.0.0" or "*" or "" ? "0.0.0.0" : host;

    internal static MediaSettings MediaSettingsFrom(SfuConfig config, IPAddress announced)
    {
        var codecs = config.Media.Codecs.Audio
            // Audio fmtp (minptime, useinbandfec) are preferences, not requirements: any opus offer matches.
            .Select(a => new CodecPreference("audio", a.Name, a.ClockRate, a.Channels, a.Priority, new Dictionary<string, string>()))
            .Concat(config.Media.Codecs.Video.Select(v => new CodecPreference("video", v.Name, 90000, 0, v.Priority, RequiredFmtp(v.Name, v.Fmtp))))
            .ToList();
        var audio = config.Media.Audio;
        var video = config.Media.Video;
        return new MediaSettings
        {
            AnnouncedAddresses = [announced],
            Codecs = codecs,
            MaxBitrate = config.WebRtc.MaxBitrate,
            MinBitrate = config.WebRtc.MinBitrate,
            Nack = config.WebRtc.Nack,
            Fec = config.WebRtc.Fec,
            Dtx = config.WebRtc.Dtx,
            JitterBufferTarget = config.WebRtc.JitterBufferTarget,
            JitterBufferMax = config.WebRtc.JitterBufferMax,
            ConsentTimeout = config.WebRtc.ConsentTimeout,
            MaxTracksPerParticipant = config.Security.Limits.MaxTracksPerParticipant,
            IceServers = config.WebRtc.IceServers.Select(s => new IceServer(s.Urls.ToList(), s.Username, s.Credential)).ToList(),
            Constraints = new MediaConstraints(audio.EchoCancellation, audio.NoiseSuppression, audio.AutoGainControl,
                video.PreferredResolution.Width, video.PreferredResolution.Height, video.MaxFramerate, config.WebRtc.Simulcast,
                Levels(video.QualityLevels).Select(l => new QualityLevelInfo(l.Rid, l.Level.Width, l.Level.Height, l.Level.Bitrate, l.Level.Framerate)).ToList()),
            QualityLevels = Levels(video.QualityLevels).Select(l => new SimulcastLayer(l.Quality, l.Level.Width, l.Level.Height, l.Level.Bitrate)).ToList(),
            Dispatcher = config.Performance.InlineMedia ? "akka.actor.sfu-inline-dispatcher" : "akka.actor.sfu-media-dispatcher",
        };
    }

    /// <summary>media.video.quality_levels in layer order; the rids are the ones the page publishes (docs/signaling.md).</summary>
    private static IEnumerable<(string Rid, VideoQuality Quality, QualityLevel Level)> Levels(QualityLevelsConfig levels) =>
    [
        ("low", VideoQuality.Low, levels.Low),
        ("medium", VideoQuality.Medium, levels.Medium),
        ("high", VideoQuality.High, levels.High),
    ];

    private static ApiOptions ApiOptionsFrom(SfuConfig config) =>
        new() { MaxRooms = config.Rooms.MaxRooms, MaxParticipants = config.Rooms.MaxParticipants };

    private static SecurityOptions SecurityOptionsFrom(SecurityConfig s) => new()
    {
        RequireAuth = s.RequireAuth,
        AuthTokenHeader = s.AuthTokenHeader,
        JwtSecret = s.JwtSecret,
        AdminToken = s.AdminToken,
        RateLimit = new RateLimitOptions
        {
            Enabled = s.RateLimit.Enabled,
            RequestsPerMinute = s.RateLimit.RequestsPerMinute,
            MaxRoomsPerIp = s.RateLimit.MaxRoomsPerIp,
            MaxParticipantsPerIp = s.RateLimit.MaxParticipantsPerIp,
        },
    };

    /// <summary>Only packetization-mode must match for H264 (RFC 6184 §8.2.2); profile-level-id is negotiable.</summary>
    private static IReadOnlyDictionary<string, string> RequiredFmtp(string name, string? fmtp)
    {
        var all = ParseFmtp(fmtp);
        return name.Equals("H264", StringComparison.OrdinalIgnoreCase)
            ? all.Where(kv => kv.Key == "packetization-mode").ToDictionary()
            : new Dictionary<string, string>();
    }

    private static IReadOnlyDictionary<string, string> ParseFmtp(string? fmtp) =>
        (fmtp ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
}

/// <summary>Creates the node's <see cref="MediaNode"/> once, when the actor system first needs it.</summary>
public sealed class MediaNodeHolder(UdpMux mux, MediaSettings media, RoomSettings rooms, MediaObservers? observers = null)
{
    private MediaNode? _node;
    private readonly object _gate = new();

    public MediaNode Get(ActorSystem system)
    {
        lock (_gate) return _node ??= new MediaNode(system, mux, media, rooms, TimeProvider.System, observers);
    }
}
