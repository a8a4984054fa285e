using Sfu.Actors.Rooms;
using Sfu.Actors.Signaling;

namespace Sfu.Web.Api;

/// <summary>A room as the REST API shows it.</summary>
public sealed record RoomResponse(string Id, string Name, int MaxParticipants, IReadOnlyList<ParticipantResponse> Participants, DateTimeOffset CreatedAt, bool Recording)
{
    public static RoomResponse From(RoomSnapshot room) =>
        new(room.Id, room.Name, room.MaxParticipants, room.Participants.Select(ParticipantResponse.From).ToList(), room.CreatedAt, room.Recording);
}

public sealed record ParticipantResponse(string Id, string Name, IReadOnlyList<TrackResponse> Tracks)
{
    public static ParticipantResponse From(ParticipantInfo p) => new(p.ParticipantId, p.Name, p.Tracks.Select(TrackResponse.From).ToList());
}

public sealed record TrackResponse(string Id, string Kind, string Source, bool Muted)
{
    public static TrackResponse From(TrackInfo t) => new(t.TrackId, t.Kind, t.Source, t.Muted);
}
