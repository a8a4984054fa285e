using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Sfu.Actors.Media;
using Sfu.Actors.Participants;
using Sfu.Actors.Signaling;
using Sfu.Streams.Forwarding;

namespace Sfu.Actors.Rooms;

/// <summary>
/// A room: a sharded entity keyed by room id. It admits participants (children), tells everyone who joins,
/// leaves and publishes, and decides who receives which track. Media flows between the participants' graphs
/// directly; the room only wires subscriptions.
/// </summary>
public sealed class RoomActor : ReceiveActor, IWithTimers
{
    private sealed class Member(string id, string name, IActorRef actor, IActorRef client)
    {
        public string Id { get; } = id;
        public string Name { get; } = name;
        public IActorRef Actor { get; } = actor;
        public IActorRef Client { get; } = client;
        public Dictionary<string, UpTrack> Tracks { get; } = new(StringComparer.Ordinal);
    }

    private const string IdleTimer = "idle";
    private readonly string _roomId;
    private readonly MediaNode _node;
    private readonly RoomDirectory _directory;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _byActor = new();
    private bool _created;
    private string _name = "";
    private int _maxParticipants;
    private DateTimeOffset _createdAt;

    public ITimerScheduler Timers { get; set; } = null!;

    private readonly bool _sharded;

    public RoomActor(string roomId, MediaNode node, RoomDirectory directory, bool sharded)
    {
        _sharded = sharded;
        _roomId = roomId;
        _node = node;
        _directory = directory;
        _maxParticipants = node.Rooms.MaxParticipants;

        Receive<CreateRoom>(OnCreate);
        Receive<JoinRoom>(OnJoin);
        Receive<FromClient>(OnFromClient);
        Receive<LeaveRoom>(m => Remove(m.ParticipantId, stop: true));
        Receive<PublishedTracksChanged>(OnTracksChanged);
        Receive<TrackMuteChanged>(OnMuteChanged);
        Receive<Terminated>(t =>
        {
            if (_byActor.TryGetValue(t.ActorRef, out var id)) Remove(id, stop: false);
        });
        Receive<GetRoom>(_ =>
        {
            if (_created) Sender.Tell(Snapshot());
            else { Sender.Tell(new RoomNotFound(_roomId)); Passivate(); }
        });
        ReceiveAsync<GetRoomStats>(async _ =>
        {
            if (!_created) { Sender.Tell(new RoomNotFound(_roomId)); Passivate(); return; }
            var sender = Sender;
            var stats = new List<ParticipantStats>();
            foreach (var m in _members.Values)
            {
                try
                {
                    var s = await m.Actor.Ask<ParticipantStats>(new GetParticipantStats(), TimeSpan.FromSeconds(2));
                    stats.Add(s with { Name = m.Name });
                }
                catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
                {
                    stats.Add(new ParticipantStats(m.Id, m.Name, [], [], null, null));
                }
            }
            sender.Tell(new RoomStats(_roomId, stats));
        });
        Receive<CloseRoom>(m =>
        {
            if (!_created) { Sender.Tell(new RoomNotFound(_roomId)); Passivate(); return; }
            // Tell each client first (the room holds their addresses), then end their participants with the room.
            foreach (var member in _members.Values)
            {
                member.Client.Tell(new RoomClosed(_roomId));
                Context.Unwatch(member.Actor);
                Context.Stop(member.Actor);
            }
            _members.Clear();
            _byActor.Clear();
            Sender.Tell(new RoomClosedAck(_roomId));
            _log.Info("room {0} closed ({1})", _roomId, m.Reason);
            _created = false;
            _directory.Remove(_roomId);
            Passivate();
        });
        Receive<IdleTimeout>(_ =>
        {
            if (_members.Count > 0) return;
            _log.Info("room {0} idle for {1}; closing", _roomId, _node.Rooms.IdleTimeout);
            _created = false;
            _directory.Remove(_roomId);
            Passivate();
        });
    }

    /// <param name="sharded">True under Cluster.Sharding, where stopping goes through the shard (passivation).</param>
    public static Props Props(string roomId, MediaNode node, RoomDirectory directory, bool sharded = false) =>
        Akka.Actor.Props.Create(() => new RoomActor(roomId, node, directory, sharded));

    private sealed record IdleTimeout;

    private void Create(string name, int maxParticipants)
    {
        _created = true;
        _name = name;
        _maxParticipants = maxParticipants;
        _createdAt = _node.Time.GetUtcNow();
        _directory.Set(Snapshot());
        ArmIdleTimer();
    }

    private void OnCreate(CreateRoom create)
    {
        if (_created)
        {
            Sender.Tell(new RoomConflict(_roomId));
            return;
        }
        Create(create.Name, create.MaxParticipants);
        Sender.Tell(new RoomCreated(Snapshot()));
    }

    private void OnJoin(JoinRoom join)
    {
        if (_node.Rooms.Admission?.Invoke(_roomId) is { } refused)
        {
            join.Client.Tell(new ErrorMessage(ErrorCodes.ServerFull, refused));
            if (!_created) Passivate();
            return;
        }
        if (!_created)
        {
            if (!_node.Rooms.AutoCreate)
            {
                join.Client.Tell(new ErrorMessage(ErrorCodes.RoomNotFound, $"room {_roomId} does not exist"));
                Passivate();
                return;
            }
            if (_directory.RoomCount >= _node.Rooms.MaxRooms)
            {
                join.Client.Tell(new ErrorMessage(ErrorCodes.ServerFull, $"this server already hosts {_node.Rooms.MaxRooms} rooms"));
                Passivate();
                return;
            }
            Create(_roomId, _node.Rooms.MaxParticipants);
        }
        if (_members.Count >= _maxParticipants)
        {
            join.Client.Tell(new ErrorMessage(ErrorCodes.RoomFull, $"room {_roomId} is full ({_maxParticipants} participants)"));
            return;
        }
        var id = join.ParticipantId ?? Ids.NewId("PA_");
        if (_members.ContainsKey(id))
        {
            join.Client.Tell(new ErrorMessage(ErrorCodes.AlreadyJoined, $"participant {id} is already in room {_roomId}"));
            return;
        }
        var actor = Context.ActorOf(ParticipantActor.Props(_roomId, id, join.Client, _node), id);
        Context.Watch(actor);
        var others = _members.Values.Select(Info).ToList();
        var member = new Member(id, join.ParticipantName, actor, join.Client);
        _members[id] = member;
        _byActor[actor] = id;
        Timers.Cancel(IdleTimer);

        var settings = _node.Settings;
        join.Client.Tell(new Joined(_roomId, id, others, settings.IceServers, settings.Constraints));
        join.Client.Tell(new RequestOffer(_roomId));
        Broadcast(new ParticipantJoined(Info(member)), except: id);
        var existing = _members.Values.Where(m => m.Id != id).SelectMany(m => m.Tracks.Values).ToList();
        if (existing.Count > 0) actor.Tell(new Subscribe(existing));
        _directory.Set(Snapshot());
        _log.Info("room {0}: {1} ({2}) joined; {3} participants", _roomId, id, join.ParticipantName, _members.Count);
    }

    private void OnFromClient(FromClient message)
    {
        if (_members.TryGetValue(message.ParticipantId, out var member)) member.Actor.Forward(message.Message);
        else Sender.Tell(new ErrorMessage(ErrorCodes.NotJoined, $"participant {message.ParticipantId} is not in room {_roomId}"));
    }

    private void OnTracksChanged(PublishedTracksChanged changed)
    {
        if (!_members.TryGetValue(changed.ParticipantId, out var member)) return;
        foreach (var t in changed.Removed)
        {
            member.Tracks.Remove(t.TrackId);
            Broadcast(new TrackUnpublished(member.Id, t.TrackId), except: member.Id);
        }
        foreach (var t in changed.Added)
        {
            member.Tracks[t.TrackId] = t;
            // Everyone hears of it, the publisher too: its event carries the mid, which is how a client learns the
            // server's id for a track it sends (needed for "mute").
            Broadcast(new TrackPublished(member.Id, ToInfo(t)), except: "");
        }
        foreach (var other in _members.Values.Where(m => m.Id != member.Id))
        {
            if (changed.Removed.Count > 0) other.Actor.Tell(new Unsubscribe(changed.Removed.Select(t => t.TrackId).ToList()));
            if (changed.Added.Count > 0) other.Actor.Tell(new Subscribe(changed.Added));
        }
        _directory.Set(Snapshot());
    }

    private void OnMuteChanged(TrackMuteChanged changed)
    {
        ServerMessage message = changed.Muted ? new TrackMuted(changed.ParticipantId, changed.TrackId) : new TrackUnmuted(changed.ParticipantId, changed.TrackId);
        Broadcast(message, except: changed.ParticipantId);
        _directory.Set(Snapshot());
    }

    private void Remove(string participantId, bool stop)
    {
        if (!_members.Remove(participantId, out var member)) return;
        _byActor.Remove(member.Actor);
        if (stop)
        {
            Context.Unwatch(member.Actor);
            member.Client.Tell(new Left(_roomId));
            Context.Stop(member.Actor);
        }
        var trackIds = member.Tracks.Keys.ToList();
        foreach (var other in _members.Values)
        {
            foreach (var trackId in trackIds) other.Client.Tell(new TrackUnpublished(member.Id, trackId));
            other.Client.Tell(new ParticipantLeft(member.Id));
            if (trackIds.Count > 0) other.Actor.Tell(new Unsubscribe(trackIds));
        }
        _log.Info("room {0}: {1} left; {2} participants", _roomId, participantId, _members.Count);
        _directory.Set(Snapshot());
        if (_members.Count == 0) ArmIdleTimer();
    }

    private void ArmIdleTimer() => Timers.StartSingleTimer(IdleTimer, new IdleTimeout(), _node.Rooms.IdleTimeout);

    private void Broadcast(ServerMessage message, string except)
    {
        foreach (var m in _members.Values)
            if (m.Id != except) m.Client.Tell(message);
    }

    private void Passivate()
    {
        // Under sharding the region stops us cleanly (buffering messages meanwhile); outside it (tests) we stop ourselves.
        if (_sharded) Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        else Context.Stop(Self);
    }

    private RoomSnapshot Snapshot() => new(_roomId, _name, _maxParticipants, _createdAt, false, _members.Values.Select(Info).ToList());

    private static ParticipantInfo Info(Member m) => new(m.Id, m.Name, m.Tracks.Values.Select(ToInfo).ToList());

    private static TrackInfo ToInfo(UpTrack t) => new(t.TrackId, t.Kind, t.Source, t.Muted, t.Description.Mid);

    protected override void PostStop()
    {
        if (_created) _directory.Remove(_roomId);
        base.PostStop();
    }
}
