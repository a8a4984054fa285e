namespace Sfu.Web.Signaling;

/// <summary>What one signaling client may send (config/webrtc.yaml security.limits).</summary>
public sealed record SignalingLimits
{
    public static SignalingLimits Default { get; } = new();
    public int MaxMessageBytes { get; init; } = 64 * 1024;
    public int MaxMessagesPerSecond { get; init; } = 50;
    public int MaxSdpBytes { get; init; } = 64 * 1024;
}
