namespace Sfu.Streams.Bandwidth;

/// <summary>Simulcast layers from lowest to highest.</summary>
public enum VideoQuality
{
    Low,
    Medium,
    High,
}
