using Sfu.Streams.Forwarding;

namespace Sfu.Streams.Redundancy;

/// <summary>Where ingress sends packets of a publisher's FlexFEC SSRC: the track they protect.</summary>
public sealed record FecRoute(UpTrack Track, uint Ssrc);
