namespace Sfu.Streams.Forwarding;

/// <summary>What a down-track does with one packet of a simulcast track.</summary>
public enum LayerDecision
{
    /// <summary>Not the layer being forwarded (or paused): drop it.</summary>
    Drop,
    /// <summary>A packet of the layer being forwarded.</summary>
    Forward,
    /// <summary>The first packet of a keyframe on the target layer: re-anchor on it and forward it.</summary>
    Switch,
    /// <summary>Waiting for a keyframe on the target layer: drop, and ask the publisher for one.</summary>
    NeedKeyframe,
}

/// <summary>
/// Chooses which simulcast layer one subscriber receives. The target is set from outside (the subscriber's quality
/// request and the bandwidth allocation, on other threads); the forwarding thread moves to it, up or down, only at a
/// keyframe of the target layer, because a decoder cannot continue on another layer's reference frames. Until then it
/// keeps forwarding the current layer, so a switch the subscriber asked for never shows a gap; a switch down forced by
/// the bandwidth allocation stops the current layer at once (see <see cref="OnPacket"/>).
/// </summary>
public sealed class LayerSelector
{
    /// <summary>No cap: the highest layer the publisher sends.</summary>
    public const int Unlimited = int.MaxValue;

    private volatile int _maxRequested = Unlimited;
    private volatile int _maxAllocated = Unlimited;

    /// <summary>The layer being forwarded; -1 before the first keyframe and while paused.</summary>
    public int Current { get; private set; } = -1;

    /// <summary>Cap from the subscriber's own request (quality, render size); thread-safe.</summary>
    public int MaxRequested
    {
        get => _maxRequested;
        set => _maxRequested = Math.Max(0, value);
    }

    /// <summary>Cap from the bandwidth allocation; thread-safe.</summary>
    public int MaxAllocated
    {
        get => _maxAllocated;
        set => _maxAllocated = Math.Max(0, value);
    }

    /// <summary>The layer wanted before looking at what the publisher sends.</summary>
    public int Target => Math.Min(_maxRequested, _maxAllocated);

    /// <summary>Layer switches done (not counting the first start).</summary>
    public long Switches { get; private set; }

    /// <summary>
    /// Decides for one packet; called on the forwarding thread only.
    /// <paramref name="effectiveTarget"/> is the layer to move to given what the publisher sends now
    /// (see <see cref="UpTrackLayers.BestActiveLayer"/>).
    /// </summary>
    public LayerDecision OnPacket(int layer, bool keyframe, int effectiveTarget)
    {
        if (effectiveTarget < 0) return layer == Current ? LayerDecision.Forward : LayerDecision.Drop;
        if (Current == effectiveTarget) return layer == Current ? LayerDecision.Forward : LayerDecision.Drop;
        if (layer == effectiveTarget && keyframe)
        {
            if (Current >= 0) Switches++;
            Current = layer;
            return LayerDecision.Switch;
        }
        // Down because the bandwidth no longer fits the current layer: stop sending it now rather than at the target's
        // keyframe. Over a congested link it mostly gets lost anyway, and it would crowd out that very keyframe (a
        // squeeze to 300 kbps took 1.5 s from the allocation to the switch while the high layer kept flowing).
        if (layer == Current) return effectiveTarget < Current && _maxAllocated < Current ? LayerDecision.Drop : LayerDecision.Forward;
        // Ask only on packets of the target layer, so a keyframe request goes out once per arriving frame at most
        // (and the throttle behind it does the rest).
        return layer == effectiveTarget ? LayerDecision.NeedKeyframe : LayerDecision.Drop;
    }

    /// <summary>Stops forwarding (pause); the next start waits for a keyframe again.</summary>
    public void Suspend() => Current = -1;
}
