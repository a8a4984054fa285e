using Akka.Actor;
using Sfu.Actors.Signaling;

namespace Sfu.Actors.Rooms;

/// <summary>Messages the room shard region routes by room id.</summary>
public interface IWithRoomId
{
    string RoomId { get; }
}

/// <summary>A client asks to join; the room answers the client with <see cref="Joined"/> or an <see cref="ErrorMessage"/>.</summary>
public sealed record JoinRoom(string RoomId, string ParticipantName, IActorRef Client, string? ParticipantId = null) : IWithRoomId;

/// <summary>A signaling message from a joined participant's client.</summary>
public sealed record FromClient(string RoomId, string ParticipantId, ClientMessage Message) : IWithRoomId;

public sealed record LeaveRoom(string RoomId, string ParticipantId) : IWithRoomId;

/// <summary>REST: create (or confirm) a room; answers <see cref="RoomCreated"/> or <see cref="RoomConflict"/>.</summary>
public sealed record CreateRoom(string RoomId, string Name, int MaxParticipants) : IWithRoomId;
public sealed record RoomCreated(RoomSnapshot Room);
public sealed record RoomConflict(string RoomId);

/// <summary>REST: read a room; answers <see cref="RoomSnapshot"/> or <see cref="RoomNotFound"/>.</summary>
public sealed record GetRoom(string RoomId) : IWithRoomId;
public sealed record RoomNotFound(string RoomId);

/// <summary>REST: the room's media statistics; answers <see cref="RoomStats"/> or <see cref="RoomNotFound"/>.</summary>
public sealed record GetRoomStats(string RoomId) : IWithRoomId;

/// <summary>Closes a room: participants are told, then disconnected. Answers <see cref="RoomClosedAck"/> or <see cref="RoomNotFound"/>.</summary>
public sealed record CloseRoom(string RoomId, string Reason = "closed") : IWithRoomId;
public sealed record RoomClosedAck(string RoomId);

public sealed record RoomSnapshot(string Id, string Name, int MaxParticipants, DateTimeOffset CreatedAt, bool Recording, IReadOnlyList<ParticipantInfo> Participants);

public sealed record RoomStats(string RoomId, IReadOnlyList<ParticipantStats> Participants);
public sealed record ParticipantStats(string ParticipantId, string Name, IReadOnlyList<TrackStats> Published, IReadOnlyList<TrackStats> Subscribed, TransportStats? PublisherTransport, TransportStats? SubscriberTransport);
public sealed record TrackStats(string TrackId, string Kind, string Source, string Codec, string? FromParticipantId, long Packets, long Bytes, double BitrateBps, long PacketsLost, double FractionLost, double JitterMs, double? RttMs, long NacksReceived, long PlisReceived, long KeyframeRequestsSent, string? Layer);
/// <param name="BandwidthEstimateBps">Send-side estimate toward a subscriber that negotiated transport-cc; null otherwise.</param>
public sealed record TransportStats(string State, string? RemoteAddress, string? SrtpProfile, long PacketsReceived, long BytesReceived, long PacketsSent, long BytesSent, long? BandwidthEstimateBps = null);
