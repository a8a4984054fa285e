namespace Sfu.Streams.Jitter;

/// <summary>
/// How long a <see cref="JitterBuffer"/> may hold packets (config/webrtc.yaml jitter_buffer_target / jitter_buffer_max):
/// the target delay adapts to <see cref="JitterMultiplier"/> times the measured interarrival jitter, within [Target, Max].
/// </summary>
public sealed record JitterBufferSettings(TimeSpan Target, TimeSpan Max, double JitterMultiplier = 4, int Capacity = 1024)
{
    public static JitterBufferSettings Default { get; } = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));
}
