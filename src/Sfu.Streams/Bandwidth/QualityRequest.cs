namespace Sfu.Streams.Bandwidth;

/// <summary>The highest layer a subscriber asked for; <see cref="Auto"/> lets bandwidth and render size decide.</summary>
public enum QualityRequest
{
    Low,
    Medium,
    High,
    Auto,
}
