using System.Collections.Concurrent;

namespace Sfu.Actors.Rooms;

/// <summary>
/// This node's view of the rooms it hosts, kept current by the rooms themselves, so listing rooms, health and
/// metrics never have to ask every entity.
/// </summary>
public sealed class RoomDirectory
{
    private readonly ConcurrentDictionary<string, RoomSnapshot> _rooms = new(StringComparer.Ordinal);

    public void Set(RoomSnapshot room) => _rooms[room.Id] = room;
    public void Remove(string roomId) => _rooms.TryRemove(roomId, out _);
    public bool TryGet(string roomId, out RoomSnapshot? room) => _rooms.TryGetValue(roomId, out room);
    public IReadOnlyList<RoomSnapshot> All => _rooms.Values.OrderBy(r => r.CreatedAt).ToList();
    public int RoomCount => _rooms.Count;
    public int ParticipantCount => _rooms.Values.Sum(r => r.Participants.Count);
    public int TrackCount(string kind) => _rooms.Values.Sum(r => r.Participants.Sum(p => p.Tracks.Count(t => t.Kind == kind)));
}
