using System.Threading.Channels;
using Akka.Actor;
using Akka.Event;
using Sfu.Actors.Rooms;
using Sfu.Actors.Signaling;

namespace Sfu.Web.Signaling;

/// <summary>
/// One signaling WebSocket as an actor: it is the address rooms send events to, and it turns the client's
/// commands into room messages. Commands that arrive while a join is in flight wait for its outcome.
/// </summary>
public sealed class ClientSessionActor : ReceiveActor, IWithStash
{
    private readonly IActorRef _rooms;
    private readonly ChannelWriter<string> _outbound;
    private readonly Func<JoinCommand, JoinAdmission> _admit;
    private JoinAdmission _admission = JoinAdmission.Everything;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private string? _roomId;
    private string? _participantId;
    private long _droppedReplies;

    public IStash Stash { get; set; } = null!;

    /// <param name="admit">Decides each join (<see cref="SignalingGate.Admit"/>); a refused client gets the error and is disconnected.</param>
    public ClientSessionActor(IActorRef rooms, ChannelWriter<string> outbound, Func<JoinCommand, JoinAdmission> admit)
    {
        _rooms = rooms;
        _outbound = outbound;
        _admit = admit;
        Become(Idle);
    }

    public static Props Props(IActorRef rooms, ChannelWriter<string> outbound, Func<JoinCommand, JoinAdmission> admit) =>
        Akka.Actor.Props.Create(() => new ClientSessionActor(rooms, outbound, admit));

    /// <summary>The socket closed (or the server is stopping); leave the room if joined.</summary>
    public sealed record SocketClosed;

    private void Idle()
    {
        Receive<JoinCommand>(join =>
        {
            var admission = _admit(join);
            if (!admission.Admitted)
            {
                Send(new ErrorMessage(admission.ErrorCode!, admission.Reason ?? admission.ErrorCode!));
                _outbound.TryComplete();
                return;
            }
            _admission = admission;
            _rooms.Tell(new JoinRoom(join.RoomId, admission.Name ?? join.ParticipantName, Self));
            _roomId = join.RoomId;
            Become(Joining);
        });
        Receive<ParticipantCommand>(_ => Send(new ErrorMessage(ErrorCodes.NotJoined, "join a room first")));
        Receive<LeaveCommand>(_ => Send(new ErrorMessage(ErrorCodes.NotJoined, "not in a room")));
        Common();
    }

    private void Joining()
    {
        Receive<Joined>(joined =>
        {
            _participantId = joined.ParticipantId;
            Send(joined);
            Become(InRoom);
            Stash.UnstashAll();
        });
        Receive<ErrorMessage>(error =>
        {
            Send(error);
            _roomId = null;
            Become(Idle);
            Stash.UnstashAll();
        });
        Receive<ClientCommand>(_ => Stash.Stash());
        Common();
    }

    private void InRoom()
    {
        Receive<ParticipantCommand>(command =>
        {
            if (command.RoomId is not null && command.RoomId != _roomId)
            {
                Send(new ErrorMessage(ErrorCodes.InvalidMessage, $"joined room is {_roomId}, not {command.RoomId}"));
                return;
            }
            if (_admission.Refuses(command.Message) is { } forbidden)
            {
                Send(new ErrorMessage(ErrorCodes.Forbidden, forbidden));
                return;
            }
            _rooms.Tell(new FromClient(_roomId!, _participantId!, command.Message));
        });
        Receive<JoinCommand>(_ => Send(new ErrorMessage(ErrorCodes.AlreadyJoined, $"already in room {_roomId}")));
        Receive<LeaveCommand>(_ => _rooms.Tell(new LeaveRoom(_roomId!, _participantId!)));
        Receive<Left>(left =>
        {
            Send(left);
            _roomId = null;
            _participantId = null;
            Become(Idle);
        });
        Receive<RoomClosed>(closed =>
        {
            // The room is gone: tell the client, then disconnect it.
            Send(closed);
            _roomId = null;
            _participantId = null;
            _outbound.TryComplete();
        });
        Common();
    }

    private void Common()
    {
        Receive<InvalidCommand>(invalid => Send(new ErrorMessage(invalid.Code, invalid.Message)));
        Receive<ServerShutdown>(m =>
        {
            Send(m);
            _outbound.TryComplete();
        });
        Receive<ServerMessage>(Send);
        Receive<SocketClosed>(_ =>
        {
            if (_roomId is not null && _participantId is not null) _rooms.Tell(new LeaveRoom(_roomId, _participantId));
            Context.Stop(Self);
        });
    }

    private void Send(ServerMessage message)
    {
        if (_outbound.TryWrite(message.ToJson())) return;
        // A flooding client fills its queue with hundreds of rate-limited errors: warn once per session, not per drop.
        if (_droppedReplies++ == 0)
            _log.Warning("signaling client {0}: outbound queue full, dropped {1} (further drops on this socket are not logged)", _participantId ?? "(not joined)", message.GetType().Name);
    }
}
