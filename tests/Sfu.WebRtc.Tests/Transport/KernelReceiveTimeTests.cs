using System.Net;
using System.Net.Sockets;
using Sfu.WebRtc.Transport;

namespace Sfu.WebRtc.Tests.Transport;

public class KernelReceiveTimeTests
{
    [Fact]
    public async Task Datagrams_read_together_keep_the_spacing_with_which_they_arrived()
    {
        if (!KernelReceiveTime.Supported) return;
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var fd = receiver.SafeHandle.DangerousGetHandle();
        var buffer = new byte[100];
        // The first query only switches stamping on, and the kernel enables it from a work queue (net_enable_timestamp
        // is deferred): wait until a datagram that sat in the queue shows its age.
        var enabled = false;
        for (var attempt = 0; attempt < 50 && !enabled; attempt++)
        {
            sender.SendTo(buffer, receiver.LocalEndPoint!);
            await Task.Delay(20);
            receiver.Receive(buffer);
            enabled = KernelReceiveTime.AgeMicros(fd) >= 10_000;
        }
        Assert.True(enabled, "the kernel never stamped a datagram");

        sender.SendTo(buffer, receiver.LocalEndPoint!);
        await Task.Delay(60);
        sender.SendTo(buffer, receiver.LocalEndPoint!);
        await Task.Delay(20);
        // Both waited in the socket queue; read back to back, they are microseconds apart by the read clock.
        receiver.Receive(buffer);
        var first = KernelReceiveTime.AgeMicros(fd);
        receiver.Receive(buffer);
        var second = KernelReceiveTime.AgeMicros(fd);
        Assert.True(first >= 60_000, $"first waited {first} µs");
        Assert.True(first - second >= 50_000, $"ages {first} and {second} µs");
        Assert.True(second >= 10_000, $"second waited {second} µs");
    }

    [Fact]
    public void A_descriptor_that_is_not_a_socket_gives_no_age()
    {
        if (!KernelReceiveTime.Supported) return;
        Assert.Equal(-1, KernelReceiveTime.AgeMicros(-1));
    }
}
