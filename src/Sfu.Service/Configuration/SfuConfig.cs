namespace Sfu.Service.Configuration;

/// <summary>
/// The whole server configuration: every section of <c>webrtc.yaml</c> plus <c>media.yaml</c> as
/// <see cref="Media"/>. Load it with <see cref="SfuConfigLoader"/>; keys and defaults are listed in
/// docs/configuration.md.
/// </summary>
public sealed record SfuConfig(
    ServerConfig Server,
    WebRtcConfig WebRtc,
    RoomsConfig Rooms,
    RecordingConfig Recording,
    PerformanceConfig Performance,
    SecurityConfig Security,
    ClusterConfig Cluster,
    LoggingConfig Logging,
    MediaConfig Media)
{
    public static readonly SfuConfig Default = new(
        ServerConfig.Default,
        WebRtcConfig.Default,
        RoomsConfig.Default,
        RecordingConfig.Default,
        PerformanceConfig.Default,
        SecurityConfig.Default,
        ClusterConfig.Default,
        LoggingConfig.Default,
        MediaConfig.Default);

    /// <summary><c>metrics:</c> (added after the original nine sections, hence not positional).</summary>
    public MetricsConfig Metrics { get; init; } = MetricsConfig.Default;
}
