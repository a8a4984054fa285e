namespace Sfu.Streams.Forwarding;

/// <summary>Which simulcast layers a publisher is sending right now.</summary>
public static class UpTrackLayers
{
    /// <summary>
    /// The highest layer at most <paramref name="target"/> that sent a packet within <paramref name="window"/>;
    /// if none at or below it is active, the lowest active one above it; -1 when nothing is active. Publishers drop
    /// their upper layers when their own bandwidth or CPU is short, so a subscriber must not wait for a layer that is
    /// not coming.
    /// </summary>
    public static int BestActiveLayer(this UpTrack track, int target, long now, TimeProvider time, TimeSpan window)
    {
        var below = -1;
        var above = int.MaxValue;
        foreach (var s in track.Streams)
        {
            var last = s.LastPacketTimestamp;
            if (last == 0 || time.GetElapsedTime(last, now) > window) continue;
            if (s.Layer <= target) below = Math.Max(below, s.Layer);
            else above = Math.Min(above, s.Layer);
        }
        return below >= 0 ? below : above == int.MaxValue ? -1 : above;
    }

    /// <summary>The SSRC of a layer's stream, or 0 if the layer has not been seen.</summary>
    public static uint SsrcOfLayer(this UpTrack track, int layer) => track.StreamOfLayer(layer)?.Ssrc ?? 0;

    public static RtpReceiveStream? StreamOfLayer(this UpTrack track, int layer)
    {
        foreach (var s in track.Streams)
            if (s.Layer == layer) return s;
        return null;
    }

    /// <summary>
    /// Asks the publisher for a keyframe on one layer only (PLI, or FIR when only that was negotiated, for that
    /// layer's SSRC): a request on every layer would make all of them send a large keyframe at once. Throttled to one
    /// per 500 ms per layer. Nothing is sent while the layer's stream has not been seen (its first packets bring a
    /// keyframe request of their own through the forwarding loop).
    /// </summary>
    public static void RequestKeyframe(this UpTrack track, int layer, KeyframeReason reason)
    {
        if (!track.IsVideo || track.StreamOfLayer(layer) is not { } stream || !stream.Keyframes.TryRequest(reason)) return;
        var ssrc = stream.Ssrc;
        Span<byte> buffer = stackalloc byte[64];
        var publisher = track.Publisher;
        var useFir = track.Codec.RtcpFeedback.Contains("ccm fir") && !track.Codec.RtcpFeedback.Contains("nack pli");
        var n = useFir
            ? RtcpWriters.Fir(buffer, publisher.LocalSsrc, ssrc, track.NextFirSequence())
            : RtcpWriters.Pli(buffer, publisher.LocalSsrc, ssrc);
        if (n > 0) publisher.SendRtcp(buffer[..n]);
    }
}
