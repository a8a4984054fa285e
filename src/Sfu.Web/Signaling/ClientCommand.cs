using Sfu.Actors.Signaling;

namespace Sfu.Web.Signaling;

/// <summary>A validated message from a client's WebSocket, before it reaches its room.</summary>
public abstract record ClientCommand;

public sealed record JoinCommand(string RoomId, string ParticipantName, string? Token) : ClientCommand;
public sealed record LeaveCommand : ClientCommand;
/// <summary>A message for the joined participant; <paramref name="RoomId"/> is checked against the joined room when present.</summary>
public sealed record ParticipantCommand(string? RoomId, ClientMessage Message) : ClientCommand;
/// <summary>Something the client sent that we refuse; the session answers with an error message.</summary>
public sealed record InvalidCommand(string Code, string Message) : ClientCommand;
