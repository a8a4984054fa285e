using Sfu.Streams.Bandwidth;

namespace Sfu.Streams.Forwarding;

/// <summary>
/// How the layers of a published track map onto the quality table (media.video.quality_levels, by default
/// <see cref="SimulcastLayer.DefaultTable"/>): layer i (rid order, lowest first) is table[i]; a track with fewer layers
/// stops early, and a request above its top layer gets the top layer.
/// </summary>
public static class SimulcastLayers
{
    /// <summary>Layers the publisher announced (rids or SIM ssrc-group) or has been seen sending; at least 1.</summary>
    public static int Count(UpTrack track) =>
        Math.Max(1, Math.Max(Math.Max(track.Description.Rids.Count, track.Description.Ssrcs.Count), track.Streams.Length));

    /// <summary>The allocator's view of the track's layers.</summary>
    public static IReadOnlyList<SimulcastLayer> Table(int count, IReadOnlyList<SimulcastLayer>? levels = null)
    {
        var table = levels ?? SimulcastLayer.DefaultTable;
        return count >= table.Count ? table : table.Take(count).ToArray();
    }

    /// <summary>The highest layer index a subscriber's request allows; <see cref="LayerSelector.Unlimited"/> when nothing caps it.</summary>
    public static int Cap(int count, QualityRequest quality, int renderWidth, int renderHeight, IReadOnlyList<SimulcastLayer>? levels = null)
    {
        var cap = quality == QualityRequest.Auto ? LayerSelector.Unlimited : Math.Min((int)quality, count - 1);
        if (renderWidth > 0 && renderHeight > 0)
        {
            var table = Table(count, levels);
            // The smallest layer that covers the rendered size: anything sharper would be scaled away.
            var covering = table.Count - 1;
            for (var i = 0; i < table.Count; i++)
            {
                if (table[i].Width >= renderWidth && table[i].Height >= renderHeight)
                {
                    covering = i;
                    break;
                }
            }
            if (count > table.Count && covering == table.Count - 1) covering = count - 1;
            cap = Math.Min(cap, covering);
        }
        return cap;
    }

    /// <summary>The quality name of a layer index, for stats.</summary>
    public static string Name(int layer, int count) =>
        layer < 0 ? "none" : Table(count).Count > layer ? Table(count)[layer].Quality.ToString().ToLowerInvariant() : layer.ToString();
}
