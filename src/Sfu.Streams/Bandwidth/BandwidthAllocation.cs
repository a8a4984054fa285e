namespace Sfu.Streams.Bandwidth;

/// <summary>All decisions for one subscriber; <see cref="DesiredBps"/> is what every track at its cap would need
/// (give it to <see cref="ProbeController.DesiredBps"/> so probing looks for that much).</summary>
public sealed record BandwidthAllocation(IReadOnlyList<TrackAllocation> Tracks, long AllocatedBps, long DesiredBps)
{
    public TrackAllocation this[string trackId] => Tracks.First(t => t.TrackId == trackId);
}
