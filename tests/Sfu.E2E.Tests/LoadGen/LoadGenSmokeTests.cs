using System.Net;
using System.Net.Sockets;
using Sfu.LoadGen;
using Sfu.Relay;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests.LoadGen;

/// <summary>
/// The load generator against the in-process server: two rooms, each with one publisher and one subscriber,
/// for three seconds. Proves that the C# client (ICE, DTLS, SRTP, synthetic VP8) gets media through the SFU and
/// that the send-time stamps survive forwarding, so latency can be measured.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class LoadGenSmokeTests(SfuServerFixture server, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_rooms_forward_media_and_measure_latency()
    {
        var options = new LoadGenOptions
        {
            Server = server.BaseUri,
            Rooms = 2,
            PublishersPerRoom = 1,
            SubscribersPerRoom = 1,
            Duration = TimeSpan.FromSeconds(3),
            Warmup = TimeSpan.FromSeconds(1),
            Bitrate = 500_000,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            RoomPrefix = "loadgen-smoke",
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var report = await LoadRun.RunAsync(options, "smoke test", m => output.WriteLine(m), timeout.Token);
        output.WriteLine(report.ToTable());

        Assert.Empty(report.Errors);
        Assert.Equal(2, report.PublishersConnected);
        Assert.Equal(2, report.SubscribersWithMedia);
        // 500 kbps at 30 fps is about 60 packets/s per publisher; each has one subscriber.
        Assert.InRange(report.ForwardedPacketsPerSecond, 60, 1000);
        Assert.Equal(report.ForwardedPackets, report.LatencySamples);
        Assert.NotNull(report.LatencyP50Ms);
        Assert.InRange(report.LatencyP50Ms!.Value, 0.001, 1000);
        Assert.True(report.LatencyMaxMs >= report.LatencyP99Ms);
        Assert.NotNull(report.JoinP50Ms);
    }

    /// <summary>
    /// The SRTP relay target (a ceiling for compare.sh) with the relay in process: registration, pre-shared-key
    /// SRTP both ways, and the same latency and loss accounting as the SFU target.
    /// </summary>
    [Theory]
    [InlineData(RelayMode.Srtp, TargetKind.SrtpRelay)]
    [InlineData(RelayMode.Udp, TargetKind.UdpRelay)]
    public async Task Relay_target_forwards_to_every_subscriber(RelayMode mode, TargetKind target)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var relay = new BareRelay(socket, mode);
        var thread = new Thread(relay.Run) { IsBackground = true, Name = "test-relay" };
        thread.Start();
        var options = new LoadGenOptions
        {
            Target = target,
            Relay = (IPEndPoint)socket.LocalEndPoint!,
            Rooms = 2,
            PublishersPerRoom = 1,
            SubscribersPerRoom = 2,
            Duration = TimeSpan.FromSeconds(2),
            Warmup = TimeSpan.FromSeconds(1),
            Bitrate = 500_000,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var report = await LoadRun.RunAsync(options, "relay smoke test", m => output.WriteLine(m), timeout.Token);
        output.WriteLine(report.ToTable());

        Assert.Empty(report.Errors);
        Assert.Equal(4, report.SubscribersWithMedia);
        // Two publishers at ~60 packets/s, each to two subscribers.
        Assert.InRange(report.ForwardedPacketsPerSecond, 150, 1000);
        Assert.Equal(report.ForwardedPackets, report.LatencySamples);
        Assert.InRange(report.LossPercent, 0, 1);
        Assert.True(relay.Forwarded >= report.ForwardedPackets);
    }
}
