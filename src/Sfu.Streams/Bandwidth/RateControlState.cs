namespace Sfu.Streams.Bandwidth;

/// <summary>The rate controller's state (draft-ietf-rmcat-gcc-02 §5.5, Figure 2).</summary>
public enum RateControlState
{
    Hold,
    Increase,
    Decrease,
}
