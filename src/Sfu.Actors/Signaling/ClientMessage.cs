namespace Sfu.Actors.Signaling;

/// <summary>What a joined client asks of its participant (parsed and validated by the signaling endpoint).</summary>
public abstract record ClientMessage;

public sealed record ClientOffer(string Sdp, string Target) : ClientMessage;
public sealed record ClientAnswer(string Sdp, string Target) : ClientMessage;
public sealed record ClientIceCandidate(IceCandidateInit? Candidate, string Target) : ClientMessage;
public sealed record ClientMute(string TrackId, bool Muted) : ClientMessage;

/// <summary>The highest quality the subscriber wants for one received track, or for all its video when TrackId is null.</summary>
public sealed record ClientUpdateQuality(Sfu.Streams.Bandwidth.QualityRequest Quality, string? TrackId) : ClientMessage;

/// <summary>The size a received video track is rendered at; layers larger than needed are not sent.</summary>
public sealed record ClientVideoSize(string TrackId, int Width, int Height) : ClientMessage;

/// <summary>A publisher offer that adds (Start) or removes (stop) a screen-share track; otherwise handled as an offer.</summary>
public sealed record ClientScreenShare(string Sdp, bool Start) : ClientMessage;

public static class Targets
{
    public const string Publisher = "publisher";
    public const string Subscriber = "subscriber";
}
