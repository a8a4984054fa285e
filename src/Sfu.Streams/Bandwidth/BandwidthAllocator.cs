namespace Sfu.Streams.Bandwidth;

/// <summary>
/// Splits one subscriber's bandwidth estimate among its tracks: audio is always kept; then every video track gets its
/// lowest layer in order (screen shares first, then cameras by priority) and is paused if even that does not fit;
/// then, in the same order, tracks go up to the highest layer that fits, capped by the quality the subscriber asked
/// for and by the smallest layer that covers its render size. To avoid flapping, going up (or resuming a paused
/// track) needs the target's bitrate plus a margin to have fitted for a while; going down is immediate.
/// </summary>
/// <remarks>Stateful per subscriber (it remembers each track's last layer); not thread-safe.</remarks>
public sealed class BandwidthAllocator
{
    private readonly AllocatorSettings _settings;
    private readonly Dictionary<string, TrackState> _states = new();

    public BandwidthAllocator(AllocatorSettings? settings = null)
    {
        _settings = settings ?? AllocatorSettings.Default;
    }

    public BandwidthAllocation Allocate(long estimateBps, IReadOnlyList<AllocationRequest> tracks, long nowMicros)
    {
        var budget = estimateBps;
        var results = new TrackAllocation[tracks.Count];
        var layers = new SimulcastLayer[tracks.Count][];
        var caps = new int[tracks.Count];
        var chosen = new int[tracks.Count];
        long desired = 0;

        for (var i = 0; i < tracks.Count; i++)
        {
            var track = tracks[i];
            layers[i] = track.Layers.OrderBy(l => l.Bps).ToArray();
            caps[i] = CapIndex(track, layers[i]);
            chosen[i] = -1;
            if (caps[i] >= 0)
            {
                desired += layers[i][caps[i]].Bps;
            }

            if (track.IsAudio && layers[i].Length > 0)
            {
                budget -= layers[i][0].Bps;
                chosen[i] = 0;
            }
        }

        var order = Enumerable.Range(0, tracks.Count)
            .Where(i => !tracks[i].IsAudio && caps[i] >= 0)
            .OrderBy(i => tracks[i].Source == TrackSource.ScreenShare ? 0 : 1)
            .ThenByDescending(i => tracks[i].Priority)
            .ThenBy(i => i)
            .ToArray();

        // Pass 1: the lowest layer for as many tracks as fit, in order.
        foreach (var i in order)
        {
            var state = StateOf(tracks[i].TrackId);
            var low = layers[i][0].Bps;
            if (budget >= low && (state.Layer >= 0 || state.IsNew || Held(ref state.ResumeSince, budget, low, nowMicros)))
            {
                chosen[i] = 0;
                budget -= low;
            }
            else if (budget < low)
            {
                state.ResumeSince = -1;
            }
        }

        // Pass 2: upgrades, in the same order.
        foreach (var i in order)
        {
            if (chosen[i] < 0)
            {
                continue;
            }

            var state = StateOf(tracks[i].TrackId);
            var current = layers[i][chosen[i]].Bps;
            var fits = HighestFitting(layers[i], caps[i], budget + current, margin: 0);
            var target = fits;
            if (!state.IsNew && fits > state.Layer)
            {
                var withMargin = HighestFitting(layers[i], caps[i], budget + current, _settings.UpgradeMargin);
                if (withMargin > state.Layer)
                {
                    state.UpgradeSince = state.UpgradeSince < 0 ? nowMicros : state.UpgradeSince;
                    target = nowMicros - state.UpgradeSince >= _settings.UpgradeHoldMicros ? withMargin : Math.Max(state.Layer, 0);
                }
                else
                {
                    state.UpgradeSince = -1;
                    target = Math.Max(state.Layer, 0);
                }
            }
            else
            {
                state.UpgradeSince = -1;
            }

            budget -= layers[i][target].Bps - current;
            chosen[i] = target;
        }

        long allocated = 0;
        var seen = new HashSet<string>();
        for (var i = 0; i < tracks.Count; i++)
        {
            var track = tracks[i];
            seen.Add(track.TrackId);
            if (chosen[i] < 0)
            {
                results[i] = new TrackAllocation(track.TrackId, true, null, 0);
            }
            else
            {
                var layer = layers[i][chosen[i]];
                allocated += layer.Bps;
                results[i] = new TrackAllocation(track.TrackId, false, track.IsAudio ? null : layer.Quality, layer.Bps);
            }

            var state = StateOf(track.TrackId);
            if (state.Layer != chosen[i] || state.IsNew)
            {
                state.UpgradeSince = -1;
                if (chosen[i] >= 0)
                {
                    state.ResumeSince = -1;
                }
            }

            state.Layer = chosen[i];
            state.IsNew = false;
        }

        foreach (var gone in _states.Keys.Where(k => !seen.Contains(k)).ToArray())
        {
            _states.Remove(gone);
        }

        return new BandwidthAllocation(results, allocated, desired);
    }

    /// <summary>
    /// Drops what the allocator remembers of a track, so the next <see cref="Allocate"/> treats it as new: it gets the
    /// highest layer that fits at once. For a change the subscriber asked for (quality, render size), which should
    /// not wait out the hysteresis meant for bandwidth swings.
    /// </summary>
    public void Forget(string trackId) => _states.Remove(trackId);

    /// <summary>Highest layer index up to <paramref name="cap"/> the subscriber wants: by request, then by render size.</summary>
    private static int CapIndex(AllocationRequest track, SimulcastLayer[] layers)
    {
        if (layers.Length == 0)
        {
            return -1;
        }

        if (track.IsAudio)
        {
            return 0;
        }

        var cap = layers.Length - 1;
        if (track.MaxQuality != QualityRequest.Auto)
        {
            var wanted = (VideoQuality)(int)track.MaxQuality;
            while (cap > 0 && layers[cap].Quality > wanted)
            {
                cap--;
            }
        }

        if (track.RenderWidth > 0 && track.RenderHeight > 0)
        {
            // The smallest layer that covers the render size is enough; sharper pixels would be scaled away.
            for (var i = 0; i < cap; i++)
            {
                if (layers[i].Width >= track.RenderWidth && layers[i].Height >= track.RenderHeight)
                {
                    cap = i;
                    break;
                }
            }
        }

        return cap;
    }

    private static int HighestFitting(SimulcastLayer[] layers, int cap, long available, double margin)
    {
        for (var i = cap; i > 0; i--)
        {
            if (layers[i].Bps * (1 + margin) <= available)
            {
                return i;
            }
        }

        return 0;
    }

    private bool Held(ref long since, long budget, long bps, long nowMicros)
    {
        if (budget < bps * (1 + _settings.UpgradeMargin))
        {
            since = -1;
            return false;
        }

        since = since < 0 ? nowMicros : since;
        return nowMicros - since >= _settings.UpgradeHoldMicros;
    }

    private TrackState StateOf(string trackId)
    {
        if (!_states.TryGetValue(trackId, out var state))
        {
            state = new TrackState();
            _states[trackId] = state;
        }

        return state;
    }

    private sealed class TrackState
    {
        public bool IsNew = true;
        public int Layer = -1;
        public long UpgradeSince = -1;
        public long ResumeSince = -1;
    }
}
