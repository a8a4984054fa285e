using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sfu.Actors.Signaling;

/// <summary>
/// Everything the server sends a client over signaling (docs/signaling.md). The JSON "type" discriminator is
/// the message name; property names are camelCase.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Joined), "joined")]
[JsonDerivedType(typeof(RequestOffer), "request-offer")]
[JsonDerivedType(typeof(SdpAnswer), "answer")]
[JsonDerivedType(typeof(SdpOffer), "offer")]
[JsonDerivedType(typeof(ServerIceCandidate), "ice-candidate")]
[JsonDerivedType(typeof(ParticipantJoined), "participant-joined")]
[JsonDerivedType(typeof(ParticipantLeft), "participant-left")]
[JsonDerivedType(typeof(TrackPublished), "track-published")]
[JsonDerivedType(typeof(TrackUnpublished), "track-unpublished")]
[JsonDerivedType(typeof(TrackMuted), "track-muted")]
[JsonDerivedType(typeof(TrackUnmuted), "track-unmuted")]
[JsonDerivedType(typeof(TrackPaused), "track-paused")]
[JsonDerivedType(typeof(TrackResumed), "track-resumed")]
[JsonDerivedType(typeof(ErrorMessage), "error")]
[JsonDerivedType(typeof(ServerShutdown), "server-shutdown")]
[JsonDerivedType(typeof(RoomClosed), "room-closed")]
[JsonDerivedType(typeof(Left), "left")]
public abstract record ServerMessage
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

public sealed record Joined(string RoomId, string ParticipantId, IReadOnlyList<ParticipantInfo> Participants, IReadOnlyList<IceServer> IceServers, MediaConstraints? MediaConstraints) : ServerMessage;
public sealed record RequestOffer(string RoomId) : ServerMessage;
public sealed record SdpAnswer(string Sdp, string Target) : ServerMessage;
public sealed record SdpOffer(string Sdp, string Target) : ServerMessage;
public sealed record ServerIceCandidate(IceCandidateInit Candidate, string Target) : ServerMessage;
public sealed record ParticipantJoined(ParticipantInfo Participant) : ServerMessage;
public sealed record ParticipantLeft(string ParticipantId) : ServerMessage;
public sealed record TrackPublished(string ParticipantId, TrackInfo Track) : ServerMessage;
public sealed record TrackUnpublished(string ParticipantId, string TrackId) : ServerMessage;
public sealed record TrackMuted(string ParticipantId, string TrackId) : ServerMessage;
public sealed record TrackUnmuted(string ParticipantId, string TrackId) : ServerMessage;
/// <summary>The server stopped forwarding a received track because the subscriber's bandwidth is short.</summary>
public sealed record TrackPaused(string TrackId) : ServerMessage;
public sealed record TrackResumed(string TrackId) : ServerMessage;
public sealed record ErrorMessage(string Code, string Message) : ServerMessage;
public sealed record ServerShutdown() : ServerMessage;
public sealed record RoomClosed(string RoomId) : ServerMessage;
public sealed record Left(string RoomId) : ServerMessage;

public sealed record IceCandidateInit(string Candidate, int? SdpMLineIndex, string? SdpMid);
public sealed record IceServer(IReadOnlyList<string> Urls, string? Username = null, string? Credential = null);
/// <summary>Browser-side capture settings from config/media.yaml, for getUserMedia; <paramref name="QualityLevels"/> are the
/// simulcast encodings to publish (media.video.quality_levels, lowest first), null for the page's built-in table.</summary>
public sealed record MediaConstraints(bool EchoCancellation, bool NoiseSuppression, bool AutoGainControl, int Width, int Height, int FrameRate, bool Simulcast,
    IReadOnlyList<QualityLevelInfo>? QualityLevels = null);

/// <summary>One simulcast encoding for the client's sendEncodings: rid, the layer's size, maxBitrate (bits/s), maxFramerate.</summary>
public sealed record QualityLevelInfo(string Rid, int Width, int Height, long MaxBitrate, int MaxFramerate);

/// <summary>Error codes clients can rely on (docs/signaling.md).</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "invalid-json";
    public const string InvalidMessage = "invalid-message";
    public const string UnknownType = "unknown-type";
    public const string MessageTooLarge = "message-too-large";
    public const string NotJoined = "not-joined";
    public const string AlreadyJoined = "already-joined";
    public const string RoomNotFound = "room-not-found";
    public const string RoomFull = "room-full";
    public const string InvalidSdp = "invalid-sdp";
    public const string NegotiationFailed = "negotiation-failed";
    public const string RateLimited = "rate-limited";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string ServerFull = "server-full";
    public const string ShuttingDown = "shutting-down";
    public const string TooManyTracks = "too-many-tracks";
}
