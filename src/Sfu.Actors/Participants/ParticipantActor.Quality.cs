using Sfu.Actors.Signaling;
using Sfu.Streams.Bandwidth;
using Sfu.Streams.Forwarding;

namespace Sfu.Actors.Participants;

/// <summary>What the subscriber asks to receive (update-quality, video-size) and screen-share offers.</summary>
public sealed partial class ParticipantActor
{
    private QualityRequest _defaultQuality = QualityRequest.Auto;
    private readonly Dictionary<string, QualityRequest> _qualityByTrack = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Width, int Height)> _renderSizeByTrack = new(StringComparer.Ordinal);
    private bool _markNewVideoAsScreen;

    private void OnUpdateQuality(ClientUpdateQuality m)
    {
        if (m.TrackId is null)
        {
            // All its video, including tracks subscribed later.
            _defaultQuality = m.Quality;
            _qualityByTrack.Clear();
            foreach (var slot in _slots) _allocator.Forget(slot.Track.TrackId);
        }
        else
        {
            if (!_wanted.ContainsKey(m.TrackId))
            {
                Error(ErrorCodes.InvalidMessage, $"not subscribed to track {m.TrackId}");
                return;
            }
            _qualityByTrack[m.TrackId] = m.Quality;
            _allocator.Forget(m.TrackId);
        }
        foreach (var slot in _slots) ApplyRequestedQuality(slot);
        Allocate();
    }

    private void OnVideoSize(ClientVideoSize m)
    {
        if (!_wanted.ContainsKey(m.TrackId))
        {
            Error(ErrorCodes.InvalidMessage, $"not subscribed to track {m.TrackId}");
            return;
        }
        _renderSizeByTrack[m.TrackId] = (m.Width, m.Height);
        _allocator.Forget(m.TrackId);
        foreach (var slot in _slots.Where(s => s.Track.TrackId == m.TrackId)) ApplyRequestedQuality(slot);
        Allocate();
    }

    private QualityRequest RequestedQuality(string trackId) => _qualityByTrack.GetValueOrDefault(trackId, _defaultQuality);

    private (int Width, int Height) RenderSize(string trackId) => _renderSizeByTrack.GetValueOrDefault(trackId);

    private void ApplyRequestedQuality(Slot slot)
    {
        if (slot.DownTrack is not { } down || !slot.Track.IsVideo) return;
        var (w, h) = RenderSize(slot.Track.TrackId);
        down.Layers.MaxRequested = SimulcastLayers.Cap(SimulcastLayers.Count(slot.Track), RequestedQuality(slot.Track.TrackId), w, h, _node.Settings.QualityLevels);
    }

    /// <summary>
    /// start-screen-share is a publisher offer whose new video section is the screen; stop-screen-share is an offer
    /// without it (removing the section unpublishes the track as in any offer).
    /// </summary>
    private void OnScreenShare(ClientScreenShare m)
    {
        _markNewVideoAsScreen = m.Start;
        try
        {
            OnPublisherOffer(new ClientOffer(m.Sdp, Targets.Publisher));
        }
        finally
        {
            _markNewVideoAsScreen = false;
        }
    }
}
