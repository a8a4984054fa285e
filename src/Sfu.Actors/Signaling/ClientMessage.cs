namespace Sfu.Actors.Signaling;

/// <summary>What a joined client asks of its participant (parsed and validated by the signaling endpoint).</summary>
public abstract record ClientMessage;

public sealed record ClientOffer(string Sdp, string Target) : ClientMessage;
public sealed record ClientAnswer(string Sdp, string Target) : ClientMessage;
public sealed record ClientIceCandidate(IceCandidateInit? Candidate, string Target) : ClientMessage;
public sealed record ClientMute(string TrackId, bool Muted) : ClientMessage;

public static class Targets
{
    public const string Publisher = "publisher";
    public const string Subscriber = "subscriber";
}
