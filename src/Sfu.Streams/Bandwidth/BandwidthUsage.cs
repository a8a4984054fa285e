namespace Sfu.Streams.Bandwidth;

/// <summary>The delay-based detector's verdict (draft-ietf-rmcat-gcc-02 §5.4).</summary>
public enum BandwidthUsage
{
    Normal,
    Underusing,
    Overusing,
}
