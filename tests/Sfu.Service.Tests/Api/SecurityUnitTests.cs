using System.Net;
using Sfu.Actors.Signaling;
using Sfu.Web.Api;
using Sfu.Web.Security;
using Sfu.Web.Signaling;

namespace Sfu.Service.Tests.Api;

public sealed class SecurityUnitTests
{
    [Fact]
    public void Address_counter_holds_at_most_max_per_address()
    {
        var counter = new AddressCounter(2);
        Assert.True(counter.TryAcquire("a"));
        Assert.True(counter.TryAcquire("a"));
        Assert.False(counter.TryAcquire("a"));
        Assert.True(counter.TryAcquire("b"));
        counter.Release("a");
        Assert.Equal(1, counter.CountOf("a"));
        Assert.True(counter.TryAcquire("a"));
        counter.Release("zzz");
        Assert.Equal(0, counter.CountOf("zzz"));
    }

    [Fact]
    public void A_client_reserves_once_and_releases_once_on_close()
    {
        var counter = new AddressCounter(5);
        var client = new SignalingClient(IPAddress.Loopback, null);
        Assert.True(client.TryReserve(() => counter.TryAcquire("x"), () => counter.Release("x")));
        Assert.True(client.TryReserve(() => counter.TryAcquire("x"), () => counter.Release("x")));
        Assert.Equal(1, counter.CountOf("x"));

        new SignalingGate().Disconnected(client);
        Assert.Equal(0, counter.CountOf("x"));
        // A join decided after the socket closed must not leak a place.
        Assert.False(client.TryReserve(() => counter.TryAcquire("x"), () => counter.Release("x")));
        Assert.Equal(0, counter.CountOf("x"));
    }

    [Fact]
    public void Admission_refuses_what_the_token_does_not_allow()
    {
        var watcher = new JoinAdmission(null, null, CanPublish: false, CanSubscribe: true);
        Assert.NotNull(watcher.Refuses(new ClientOffer("v=0", Targets.Publisher)));
        Assert.Null(watcher.Refuses(new ClientAnswer("v=0", Targets.Subscriber)));
        Assert.Null(watcher.Refuses(new ClientMute("t", true)));

        var speaker = new JoinAdmission(null, null, CanPublish: true, CanSubscribe: false);
        Assert.Null(speaker.Refuses(new ClientOffer("v=0", Targets.Publisher)));
        Assert.NotNull(speaker.Refuses(new ClientAnswer("v=0", Targets.Subscriber)));
        Assert.Null(JoinAdmission.Everything.Refuses(new ClientOffer("v=0", Targets.Publisher)));
    }

    [Fact]
    public void The_gate_refuses_joins_while_shutting_down()
    {
        var gate = new SignalingGate();
        var join = new JoinCommand("r", "n", null);
        Assert.True(gate.Admit(join, new SignalingClient(null, null)).Admitted);
        gate.BeginShutdown();
        Assert.Equal(ErrorCodes.ShuttingDown, gate.Admit(join, new SignalingClient(null, null)).ErrorCode);
    }

    [Fact]
    public void The_secure_gate_checks_token_room_and_address()
    {
        var options = new SecurityOptions
        {
            RequireAuth = true,
            JwtSecret = ApiServer.JwtSecret,
            AdminToken = "admin",
            RateLimit = new RateLimitOptions { MaxParticipantsPerIp = 1 },
        };
        var tokens = new TokenService(options, TimeProvider.System);
        var gate = new SecureSignalingGate(options, new RequestAuthenticator(options, tokens, TimeProvider.System));
        var watcher = tokens.Issue("r", "Watcher", [Permissions.Subscribe], TimeSpan.FromMinutes(1));

        Assert.Equal(ErrorCodes.Unauthorized, gate.Admit(new JoinCommand("r", "n", null), new SignalingClient(IPAddress.Loopback, null)).ErrorCode);
        Assert.Equal(ErrorCodes.Unauthorized, gate.Admit(new JoinCommand("other", "n", watcher), new SignalingClient(IPAddress.Loopback, null)).ErrorCode);

        var first = new SignalingClient(IPAddress.Loopback, watcher);
        var admitted = gate.Admit(new JoinCommand("r", "n", null), first);
        Assert.True(admitted.Admitted);
        Assert.Equal((false, true, "Watcher"), (admitted.CanPublish, admitted.CanSubscribe, admitted.Name));

        // IPv4-mapped IPv6 is the same client.
        var second = gate.Admit(new JoinCommand("r", "n", "admin"), new SignalingClient(IPAddress.Loopback.MapToIPv6(), null));
        Assert.Equal(ErrorCodes.RateLimited, second.ErrorCode);
        Assert.True(gate.Admit(new JoinCommand("r", "n", "admin"), new SignalingClient(IPAddress.Parse("10.0.0.2"), null)).Admitted);

        gate.Disconnected(first);
        var third = gate.Admit(new JoinCommand("r", "n", "admin"), new SignalingClient(IPAddress.Loopback, null));
        Assert.Equal((true, true, true, null), (third.Admitted, third.CanPublish, third.CanSubscribe, third.Name));
    }

    [Theory]
    [InlineData("Conference Room", "conference-room-")]
    [InlineData("  Ünïcode & Co!! ", "n-code-co-")]
    [InlineData("", "room-")]
    [InlineData(null, "room-")]
    [InlineData("!!!", "room-")]
    public void Room_ids_are_slugs_of_the_name(string? name, string prefix)
    {
        var id = RoomIds.FromName(name);
        Assert.StartsWith(prefix, id);
        Assert.Equal(prefix.Length + 6, id.Length);
        Assert.True(Sfu.Actors.Ids.IsValidRoomId(id));
    }

    [Fact]
    public void Room_ids_from_long_names_stay_valid()
    {
        var id = RoomIds.FromName(new string('a', 500));
        Assert.True(Sfu.Actors.Ids.IsValidRoomId(id));
        Assert.True(id.Length <= 64);
    }

    [Fact]
    public void A_session_that_registers_after_the_drain_began_is_told_server_shutdown_too()
    {
        using var system = Akka.Actor.ActorSystem.Create("gate-test");
        var gate = new SignalingGate();
        var early = Akka.Actor.Inbox.Create(system);
        var late = Akka.Actor.Inbox.Create(system);
        gate.Register(early.Receiver);

        gate.BeginShutdown();
        gate.Register(late.Receiver);

        Assert.IsType<ServerShutdown>(early.Receive(TimeSpan.FromSeconds(5)));
        Assert.IsType<ServerShutdown>(late.Receive(TimeSpan.FromSeconds(5)));
        Assert.True(gate.ShuttingDown);
    }
}
