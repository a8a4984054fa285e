using Akka.Actor;
using Sfu.Actors.Signaling;
using Sfu.Streams.Bandwidth;
using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Sdp;

namespace Sfu.Actors.Participants;

/// <summary>
/// Adaptive bitrate toward this participant's subscriber connection: every <see cref="AllocationInterval"/> the
/// transport-cc estimate is split among the received tracks (audio first, then screen shares, then cameras) and each
/// video down-track gets a layer cap or is paused; the client hears of pauses as track-paused / track-resumed.
/// Down-tracks are only read and set here (plain volatile fields), never through messages from stream threads.
/// </summary>
public sealed partial class ParticipantActor : IWithTimers
{
    /// <summary>
    /// How often the estimate is re-split. Going down waits for the next tick, so this is part of the time from a
    /// squeeze to the lower layer (half of it on average); 250 ms keeps that small next to the estimator's reaction,
    /// at the cost of a few small lists per subscriber four times a second.
    /// </summary>
    public static readonly TimeSpan AllocationInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Going up a layer needs the bandwidth to have fitted this long (the allocator's hysteresis).</summary>
    private static readonly AllocatorSettings Allocation = AllocatorSettings.Default with { UpgradeHoldMicros = 1_000_000 };

    private readonly BandwidthAllocator _allocator = new(Allocation);
    private readonly HashSet<string> _pausedByBandwidth = new(StringComparer.Ordinal);
    private bool _subscriberTransportCc;

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record AllocateTick
    {
        public static readonly AllocateTick Instance = new();
    }

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("allocate", AllocateTick.Instance, AllocationInterval);
        base.PreStart();
    }

    /// <summary>Whether the subscriber's answer kept the transport-wide sequence number extension (Chrome, Firefox do).</summary>
    private void OnSubscriberExtensions(SessionDescription answer, MediaSession session)
    {
        var negotiated = answer.Media.Any(m => m.Port != 0 && m.Extensions.Any(e =>
            e.Uri == Sfu.WebRtc.Rtp.RtpExtensionUris.TransportWideCc && e.Id == SupportedExtensions.TransportWideCcId));
        if (negotiated && session.Bandwidth is null)
            session.Bandwidth = new SubscriberBandwidth(_node.Time, SupportedExtensions.TransportWideCcId);
        _subscriberTransportCc = negotiated;
    }

    private void Allocate()
    {
        if (_subscriber?.Session.Bandwidth is not { } bandwidth) return;
        var slots = _slots.Where(s => s.DownTrack is not null).ToList();
        if (slots.Count == 0) return;
        var requests = new List<AllocationRequest>(slots.Count);
        foreach (var slot in slots)
        {
            var track = slot.Track;
            if (!track.IsVideo)
            {
                requests.Add(AllocationRequest.Audio(track.TrackId));
                continue;
            }
            // A single-layer track is budgeted at the low layer's rate: the allocator can only keep or pause it, and
            // should pause it only when even the smallest video would not fit.
            var (w, h) = RenderSize(track.TrackId);
            requests.Add(new AllocationRequest(track.TrackId, track.Source == "screen" ? TrackSource.ScreenShare : TrackSource.Camera,
                SimulcastLayers.Table(SimulcastLayers.Count(track), _node.Settings.QualityLevels), RequestedQuality(track.TrackId), w, h));
        }
        var allocation = _allocator.Allocate(bandwidth.EstimateBps, requests, bandwidth.NowMicros);
        bandwidth.Estimator.Probes.DesiredBps = allocation.DesiredBps;
        for (var i = 0; i < slots.Count; i++)
        {
            var down = slots[i].DownTrack!;
            if (!down.Source.IsVideo) continue;
            var decision = allocation.Tracks[i];
            down.Layers.MaxAllocated = decision.Quality is { } q ? (int)q : 0;
            down.Paused = decision.Paused;
            // The client's view is kept per track id, so a track re-subscribed while paused is announced correctly.
            var trackId = down.Source.TrackId;
            if (decision.Paused && _pausedByBandwidth.Add(trackId)) _client.Tell(new TrackPaused(trackId));
            else if (!decision.Paused && _pausedByBandwidth.Remove(trackId)) _client.Tell(new TrackResumed(trackId));
        }
        _pausedByBandwidth.RemoveWhere(id => !slots.Any(s => s.Track.TrackId == id));
    }

    private static string LayerDescription(DownTrack d)
    {
        if (d.Paused) return "paused";
        var count = SimulcastLayers.Count(d.Source);
        var current = SimulcastLayers.Name(d.Layers.Current, count);
        var target = d.EffectiveTargetLayer;
        return target == d.Layers.Current || target < 0 ? current : $"{current}->{SimulcastLayers.Name(target, count)}";
    }
}
