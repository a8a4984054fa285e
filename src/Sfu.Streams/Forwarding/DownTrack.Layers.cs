using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Forwarding;

/// <summary>Simulcast layer selection glue: the <see cref="LayerSelector"/> decides, this re-anchors the numbering.</summary>
public sealed partial class DownTrack
{
    /// <summary>The layer the subscriber would get now, given what the publisher sends.</summary>
    public int EffectiveTargetLayer => Source.BestActiveLayer(Layers.Target, _time.GetTimestamp(), _time, LayerActivityWindow);

    /// <summary>True if the packet is to be forwarded (and the rewriter is anchored for it).</summary>
    private bool SelectLayer(MediaPacket source, in RtpHeader header, RtpReceiveStream stream)
    {
        var now = _time.GetTimestamp();
        var target = Source.BestActiveLayer(Layers.Target, now, _time, LayerActivityWindow);
        // Audio has no keyframes: any packet can start it.
        var keyframe = source.IsKeyframe || !Source.IsVideo;
        switch (Layers.OnPacket(stream.Layer, keyframe, target))
        {
            case LayerDecision.Forward:
                return true;
            case LayerDecision.Switch:
                _rewriter.Restart(source.ExtendedSequence, header.Timestamp, _rewriter.Started ? TimestampGap(now) : 0);
                _vp8?.Restart();
                Layer = stream.Layer;
                NeedsKeyframe = false;
                return true;
            case LayerDecision.NeedKeyframe:
                NeedsKeyframe = true;
                // Before its first picture the subscriber is a new one waiting to start, not switching layers.
                Source.RequestKeyframe(target, _rewriter.Started ? KeyframeReason.LayerSwitch : KeyframeReason.NewSubscriber);
                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// The timestamp step across a switch: the time since the last packet went out, at least one frame at 30 fps.
    /// Simulcast layers are captured together, so wall time is the best guess of how far the new layer's picture is
    /// from the last one sent; a step of zero would give two pictures the same timestamp.
    /// </summary>
    private uint TimestampGap(long now)
    {
        var clock = Source.ClockRate;
        var last = Interlocked.Read(ref _lastSendTimestamp);
        var elapsed = last == 0 ? 0 : _time.GetElapsedTime(last, now).TotalSeconds;
        var ticks = Math.Min(elapsed, 60) * clock;
        return (uint)Math.Max(ticks, clock / 30.0);
    }
}
