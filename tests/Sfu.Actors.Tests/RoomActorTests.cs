using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Sfu.Actors.Media;
using Sfu.Actors.Rooms;
using Sfu.Actors.Signaling;
using Sfu.WebRtc.Transport;

namespace Sfu.Actors.Tests;

public sealed class RoomActorTests : TestKit
{
    private readonly UdpMux _mux = new(new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System);
    private readonly RoomDirectory _directory = new();

    private IActorRef Room(string id, RoomSettings? settings = null) =>
        Sys.ActorOf(RoomActor.Props(id, new MediaNode(Sys, _mux, MediaSettings.Default, settings ?? RoomSettings.Default, TimeProvider.System), _directory));

    protected override void Dispose(bool disposing)
    {
        _mux.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public void Join_answers_joined_then_request_offer()
    {
        var room = Room("r1");
        var client = CreateTestProbe();
        room.Tell(new JoinRoom("r1", "Ann", client.Ref));
        var joined = client.ExpectMsg<Joined>();
        Assert.Equal("r1", joined.RoomId);
        Assert.Empty(joined.Participants);
        client.ExpectMsg<RequestOffer>();
        Assert.Equal(1, _directory.ParticipantCount);
    }

    [Fact]
    public void Others_hear_about_joins_and_leaves()
    {
        var room = Room("r2");
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        room.Tell(new JoinRoom("r2", "Ann", a.Ref));
        var ann = a.ExpectMsg<Joined>();
        a.ExpectMsg<RequestOffer>();
        room.Tell(new JoinRoom("r2", "Bob", b.Ref));
        var bob = b.ExpectMsg<Joined>();
        Assert.Equal(ann.ParticipantId, Assert.Single(bob.Participants).ParticipantId);
        Assert.Equal("Bob", a.ExpectMsg<ParticipantJoined>().Participant.Name);

        room.Tell(new LeaveRoom("r2", bob.ParticipantId));
        b.FishForMessage(m => m is Left);
        Assert.Equal(bob.ParticipantId, a.FishForMessage<ParticipantLeft>(_ => true).ParticipantId);
        Assert.Equal(1, _directory.ParticipantCount);
    }

    [Fact]
    public void A_full_room_refuses_with_room_full()
    {
        var room = Room("r3", RoomSettings.Default with { MaxParticipants = 1 });
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        room.Tell(new JoinRoom("r3", "Ann", a.Ref));
        a.ExpectMsg<Joined>();
        room.Tell(new JoinRoom("r3", "Bob", b.Ref));
        Assert.Equal(ErrorCodes.RoomFull, b.ExpectMsg<ErrorMessage>().Code);
    }

    [Fact]
    public void Without_auto_create_an_unknown_room_is_not_found()
    {
        var room = Room("r4", RoomSettings.Default with { AutoCreate = false });
        var a = CreateTestProbe();
        room.Tell(new JoinRoom("r4", "Ann", a.Ref));
        Assert.Equal(ErrorCodes.RoomNotFound, a.ExpectMsg<ErrorMessage>().Code);
    }

    [Fact]
    public void Auto_create_stops_at_max_rooms_with_server_full()
    {
        var settings = RoomSettings.Default with { MaxRooms = 1 };
        var first = Room("m1", settings);
        var a = CreateTestProbe();
        first.Tell(new JoinRoom("m1", "Ann", a.Ref));
        a.ExpectMsg<Joined>();
        var second = Room("m2", settings);
        var b = CreateTestProbe();
        second.Tell(new JoinRoom("m2", "Bob", b.Ref));
        Assert.Equal(ErrorCodes.ServerFull, b.ExpectMsg<ErrorMessage>().Code);
    }

    [Fact]
    public void A_created_room_can_be_joined_without_auto_create_and_conflicts_on_second_create()
    {
        var room = Room("r5", RoomSettings.Default with { AutoCreate = false });
        room.Tell(new CreateRoom("r5", "Standup", 10), TestActor);
        Assert.Equal("Standup", ExpectMsg<RoomCreated>().Room.Name);
        room.Tell(new CreateRoom("r5", "Standup", 10), TestActor);
        ExpectMsg<RoomConflict>();
        var a = CreateTestProbe();
        room.Tell(new JoinRoom("r5", "Ann", a.Ref));
        a.ExpectMsg<Joined>();
    }

    [Fact]
    public void Malformed_sdp_gets_an_error_and_the_participant_stays()
    {
        var room = Room("r6");
        var a = CreateTestProbe();
        room.Tell(new JoinRoom("r6", "Ann", a.Ref));
        var joined = a.ExpectMsg<Joined>();
        a.ExpectMsg<RequestOffer>();
        room.Tell(new FromClient("r6", joined.ParticipantId, new ClientOffer("this is not sdp", Targets.Publisher)));
        Assert.Equal(ErrorCodes.InvalidSdp, a.ExpectMsg<ErrorMessage>().Code);
        room.Tell(new GetRoom("r6"), TestActor);
        Assert.Single(ExpectMsg<RoomSnapshot>().Participants);
    }

    [Fact]
    public void Closing_a_room_tells_participants()
    {
        var room = Room("r7");
        var a = CreateTestProbe();
        room.Tell(new JoinRoom("r7", "Ann", a.Ref));
        a.ExpectMsg<Joined>();
        room.Tell(new CloseRoom("r7"), TestActor);
        ExpectMsg<RoomClosedAck>();
        a.FishForMessage(m => m is RoomClosed);
        // The directory forgets the room when its actor has stopped, just after it told the participants.
        AwaitCondition(() => _directory.RoomCount == 0, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void An_empty_room_closes_after_the_idle_timeout()
    {
        var room = Room("r8", RoomSettings.Default with { IdleTimeout = TimeSpan.FromMilliseconds(200) });
        Watch(room);
        var a = CreateTestProbe();
        room.Tell(new JoinRoom("r8", "Ann", a.Ref));
        var joined = a.ExpectMsg<Joined>();
        room.Tell(new LeaveRoom("r8", joined.ParticipantId));
        ExpectTerminated(room, TimeSpan.FromSeconds(5));
        Assert.Equal(0, _directory.RoomCount);
    }
}
