using System.Globalization;

namespace Sfu.LoadGen;

/// <summary>What one load run does; parsed from the command line or built by a test.</summary>
public sealed record LoadGenOptions
{
    /// <summary>What to drive: our SFU (default), Janus VideoRoom, or a bare UDP/SRTP relay (the ceilings).</summary>
    public TargetKind Target { get; init; } = TargetKind.Sfu;
    /// <summary>Janus's HTTP API, for <see cref="TargetKind.Janus"/>.</summary>
    public Uri Janus { get; init; } = new("http://127.0.0.1:8088/janus");
    /// <summary>A running bench/Sfu.Relay, for the relay targets without <see cref="StartServer"/>.</summary>
    public System.Net.IPEndPoint? Relay { get; init; }
    /// <summary>HTTP base of the server (signaling is ws(s)://host/ws). Ignored with <see cref="StartServer"/>.</summary>
    public Uri Server { get; init; } = new("http://127.0.0.1:8080/");
    public int Rooms { get; init; } = 1;
    public int PublishersPerRoom { get; init; } = 1;
    public int SubscribersPerRoom { get; init; } = 1;
    /// <summary>Measurement window, after every client has connected (or given up).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>
    /// Load before the window opens, once every client has connected: a server runs for days, so the figures are its
    /// steady state, not its first seconds (a .NET server re-compiles its hot methods in the background for a while
    /// after start: tiered JIT). Every target gets the same warm-up.
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Video bitrate each publisher sends, bits per second.</summary>
    public int Bitrate { get; init; } = 1_000_000;
    public int FrameRate { get; init; } = 30;
    /// <summary>Largest RTP payload; frames are cut into packets of at most this many bytes.</summary>
    public int MaxPayload { get; init; } = 1100;
    public TimeSpan KeyframeInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Clients joining at the same time.</summary>
    public int JoinConcurrency { get; init; } = 16;
    /// <summary>How long to wait for all clients to connect before measuring anyway.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public string RoomPrefix { get; init; } = "load";
    public string? JsonPath { get; init; }
    /// <summary>Start src/Sfu.Service (or bench/Sfu.Relay for the relay targets) as a child process on free ports and measure its CPU and memory.</summary>
    public bool StartServer { get; init; }
    /// <summary>Measure an already running server's CPU and memory through /proc.</summary>
    public int? ServerPid { get; init; }
    /// <summary>Extra --set overrides for a started server.</summary>
    public IReadOnlyList<string> ServerSettings { get; init; } = [];
    public bool Verbose { get; init; }

    public const string Usage = """
        usage: Sfu.LoadGen [--target sfu|janus|udp-relay|srtp-relay] [--janus URL] [--relay HOST:PORT]
                           [--server URL | --start-server] [--rooms N] [--publishers-per-room N]
                           [--subscribers-per-room N] [--duration SECONDS] [--warmup SECONDS] [--bitrate BPS] [--fps N]
                           [--max-payload BYTES] [--keyframe-interval SECONDS] [--join-concurrency N]
                           [--connect-timeout SECONDS] [--room-prefix NAME] [--json FILE]
                           [--server-pid PID] [--server-set key=value]... [--verbose]
        """;

    public static LoadGenOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LoadGenOptions();
        var sets = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double Seconds() => double.Parse(Next(), CultureInfo.InvariantCulture);
            o = arg switch
            {
                "--target" => o with { Target = ParseTarget(Next()) },
                "--janus" => o with { Janus = new Uri(Next()) },
                "--relay" => o with { Relay = System.Net.IPEndPoint.Parse(Next()) },
                "--server" => o with { Server = new Uri(Next()) },
                "--start-server" => o with { StartServer = true },
                "--rooms" => o with { Rooms = Int() },
                "--publishers-per-room" => o with { PublishersPerRoom = Int() },
                "--subscribers-per-room" => o with { SubscribersPerRoom = Int() },
                "--duration" => o with { Duration = TimeSpan.FromSeconds(Seconds()) },
                "--warmup" => o with { Warmup = TimeSpan.FromSeconds(Seconds()) },
                "--bitrate" => o with { Bitrate = Int() },
                "--fps" => o with { FrameRate = Int() },
                "--max-payload" => o with { MaxPayload = Int() },
                "--keyframe-interval" => o with { KeyframeInterval = TimeSpan.FromSeconds(Seconds()) },
                "--join-concurrency" => o with { JoinConcurrency = Int() },
                "--connect-timeout" => o with { ConnectTimeout = TimeSpan.FromSeconds(Seconds()) },
                "--room-prefix" => o with { RoomPrefix = Next() },
                "--json" => o with { JsonPath = Next() },
                "--server-pid" => o with { ServerPid = Int() },
                "--server-set" => Add(o, sets, Next()),
                "--verbose" => o with { Verbose = true },
                _ => throw new ArgumentException($"unknown argument {arg}"),
            };
        }
        o = o with { ServerSettings = sets };
        if (o.Rooms < 1 || o.PublishersPerRoom < 1 || o.SubscribersPerRoom < 0)
            throw new ArgumentException("need at least one room with one publisher");
        if (o.Warmup < TimeSpan.Zero) throw new ArgumentException("--warmup must be >= 0");
        if (o.Bitrate < 10_000 || o.FrameRate is < 1 or > 120 || o.MaxPayload is < 200 or > 1200)
            throw new ArgumentException("bitrate >= 10000, fps 1..120, max payload 200..1200");
        return o;
    }

    private static TargetKind ParseTarget(string value) => value switch
    {
        "sfu" => TargetKind.Sfu,
        "janus" => TargetKind.Janus,
        "udp-relay" => TargetKind.UdpRelay,
        "srtp-relay" => TargetKind.SrtpRelay,
        _ => throw new ArgumentException($"unknown target {value} (sfu, janus, udp-relay, srtp-relay)"),
    };

    private static LoadGenOptions Add(LoadGenOptions o, List<string> sets, string value)
    {
        sets.Add(value);
        return o;
    }
}
