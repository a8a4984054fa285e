namespace Sfu.Actors.Signaling;

/// <summary>A published track as clients see it in events.</summary>
public sealed record TrackInfo(string TrackId, string Kind, string Source, bool Muted, string? Mid = null);

/// <summary>A participant as clients see it in events.</summary>
public sealed record ParticipantInfo(string ParticipantId, string Name, IReadOnlyList<TrackInfo> Tracks);
