using Sfu.Streams.Forwarding;

namespace Sfu.Actors.Participants;

/// <summary>Participant -> room: the tracks this participant publishes changed.</summary>
public sealed record PublishedTracksChanged(string ParticipantId, IReadOnlyList<UpTrack> Added, IReadOnlyList<UpTrack> Removed);

/// <summary>Participant -> room: a track was muted or unmuted by its publisher.</summary>
public sealed record TrackMuteChanged(string ParticipantId, string TrackId, bool Muted);

/// <summary>Room -> participant: forward these tracks to this participant's subscriber connection.</summary>
public sealed record Subscribe(IReadOnlyList<UpTrack> Tracks);

/// <summary>Room -> participant: stop forwarding these tracks.</summary>
public sealed record Unsubscribe(IReadOnlyList<string> TrackIds);

/// <summary>Room -> participant: the participant's statistics (answers <see cref="Rooms.ParticipantStats"/>).</summary>
public sealed record GetParticipantStats;

/// <summary>Room -> participant: leave now (room closed or server shutting down); the message is sent to the client first.</summary>
public sealed record Disconnect(Signaling.ServerMessage? Notice);

internal sealed record TransportStateChanged(string Which, Sfu.WebRtc.Transport.TransportState State);
internal sealed record GraphStopped(string Which, string Direction, Exception? Failure, Sfu.Streams.Forwarding.MediaSession Session);
