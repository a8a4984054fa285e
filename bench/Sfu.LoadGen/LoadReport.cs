using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sfu.LoadGen;

/// <summary>The figures of one load run, for people (<see cref="ToTable"/>) and tools (<see cref="ToJson"/>).</summary>
public sealed record LoadReport
{
    public required string Command { get; init; }
    public string Target { get; init; } = nameof(TargetKind.Sfu);
    public required int Rooms { get; init; }
    public required int PublishersPerRoom { get; init; }
    public required int SubscribersPerRoom { get; init; }
    public required int BitrateBps { get; init; }
    public required double WindowSeconds { get; init; }
    /// <summary>Seconds of load between the last client connecting and the window opening.</summary>
    public double WarmupSeconds { get; init; }
    public required int PublishersConnected { get; init; }
    public required int SubscribersConnected { get; init; }
    public required int SubscribersWithMedia { get; init; }
    /// <summary>Forwarded packets in the window that carried a publisher's send stamp (the rest: padding, retransmissions, anything the server made up).</summary>
    public long StampedPackets { get; init; }
    /// <summary>Distinct SSRCs a subscriber received RTP on, on average.</summary>
    public double StreamsPerSubscriber { get; init; }
    public required IReadOnlyList<string> Errors { get; init; }

    public required long PublishedPackets { get; init; }
    public required double PublishedPacketsPerSecond { get; init; }
    public required long ForwardedPackets { get; init; }
    public required double ForwardedPacketsPerSecond { get; init; }
    public required double ForwardedMbps { get; init; }
    public required long ExpectedPackets { get; init; }
    public required double LossPercent { get; init; }
    public required long KeyframeRequests { get; init; }
    public required long LatePacerFrames { get; init; }

    public required int LatencySamples { get; init; }
    public required double? LatencyP50Ms { get; init; }
    public required double? LatencyP95Ms { get; init; }
    public required double? LatencyP99Ms { get; init; }
    public required double? LatencyMaxMs { get; init; }
    public required double? JoinP50Ms { get; init; }
    public required double? JoinP95Ms { get; init; }
    /// <summary>Join -> media link up (ICE + DTLS); the rest of the join time is waiting for the first packet.</summary>
    public double? ConnectP50Ms { get; init; }
    public double? ConnectP95Ms { get; init; }

    public int? ServerPid { get; init; }
    public double? ServerCpuSeconds { get; init; }
    public double? ServerCpuPercent { get; init; }
    public double? ServerCpuSecondsPerMillionPackets { get; init; }
    public double? ServerCpuMicrosPerPacket { get; init; }
    public double? ServerPeakRssMb { get; init; }
    public int? ServerThreads { get; init; }
    public double? LoadGenCpuPercent { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToTable()
    {
        static string F(double? v, string format = "0.00") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
        var sb = new StringBuilder();
        void Row(string name, string value) => sb.Append(CultureInfo.InvariantCulture, $"  {name,-34} {value}\n");
        sb.Append(CultureInfo.InvariantCulture, $"target {Target}, load: {Rooms} room(s) x ({PublishersPerRoom} pub + {SubscribersPerRoom} sub), {BitrateBps / 1000} kbps, window {WindowSeconds:0.0} s after {WarmupSeconds:0} s warm-up\n");
        Row("connected pub / sub / with media", $"{PublishersConnected} / {SubscribersConnected} / {SubscribersWithMedia}");
        Row("published packets/s", F(PublishedPacketsPerSecond, "0"));
        Row("forwarded packets/s", F(ForwardedPacketsPerSecond, "0"));
        Row("forwarded Mbps", F(ForwardedMbps, "0.0"));
        Row("loss", $"{F(LossPercent, "0.000")} % ({ExpectedPackets - ForwardedPackets} of {ExpectedPackets})");
        Row("latency P50 / P95 / P99 / max ms", $"{F(LatencyP50Ms, "0.000")} / {F(LatencyP95Ms, "0.000")} / {F(LatencyP99Ms, "0.000")} / {F(LatencyMaxMs, "0.0")}  ({LatencySamples} samples)");
        Row("join -> first media P50 / P95 ms", $"{F(JoinP50Ms, "0")} / {F(JoinP95Ms, "0")}");
        Row("  of which join -> connected P50/P95", $"{F(ConnectP50Ms, "0")} / {F(ConnectP95Ms, "0")}");
        Row("server CPU s (% of one core)", $"{F(ServerCpuSeconds)} ({F(ServerCpuPercent, "0")} %)");
        Row("server CPU s per 1M forwarded", F(ServerCpuSecondsPerMillionPackets));
        Row("server CPU us per forwarded pkt", F(ServerCpuMicrosPerPacket));
        Row("server peak RSS MB / threads", $"{F(ServerPeakRssMb, "0")} / {ServerThreads?.ToString(CultureInfo.InvariantCulture) ?? "n/a"}");
        Row("load generator CPU %", F(LoadGenCpuPercent, "0"));
        Row("keyframe requests / late frames", $"{KeyframeRequests} / {LatePacerFrames}");
        Row("stamped media of forwarded / SSRCs per subscriber", $"{StampedPackets} of {ForwardedPackets} / {StreamsPerSubscriber:0.0}");
        foreach (var e in Errors.Take(10)) Row("error", e);
        if (Errors.Count > 10) Row("error", $"... and {Errors.Count - 10} more");
        return sb.ToString();
    }

    public static double? Percentile(List<int> sortedMicros, double p) =>
        sortedMicros.Count == 0 ? null : sortedMicros[Math.Min(sortedMicros.Count - 1, (int)Math.Ceiling(p / 100.0 * sortedMicros.Count) - 1)] / 1000.0;
}
