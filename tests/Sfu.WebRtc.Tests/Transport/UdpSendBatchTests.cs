using System.Net;
using System.Net.Sockets;
using Sfu.WebRtc.Transport;

namespace Sfu.WebRtc.Tests.Transport;

public sealed class UdpSendBatchTests
{
    private static Socket Receiver()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s.ReceiveTimeout = 2000;
        return s;
    }

    private static byte[] Datagram(int n, int length)
    {
        var d = new byte[length];
        for (var i = 0; i < length; i++) d[i] = (byte)(n * 31 + i);
        return d;
    }

    [Fact]
    public void Datagrams_queued_in_a_batch_leave_in_one_call_when_it_closes_each_to_its_address_byte_for_byte()
    {
        if (!UdpSendBatch.Supported) return; // sendmmsg is Linux-only; elsewhere transports send one by one
        using var mux = new UdpMux(new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System);
        var receivers = Enumerable.Range(0, 3).Select(_ => Receiver()).ToArray();
        // More datagrams than one call carries: the batch flushes on the way.
        const int perReceiver = UdpSendBatch.Capacity / 2 + 1;
        long before;
        UdpSendBatch batch;
        var buffer = new byte[2048];
        using (var scope = UdpSendBatch.Open())
        {
            batch = scope.Batch!;
            before = batch.Flushes;
            for (var n = 0; n < perReceiver; n++)
            {
                for (var r = 0; r < receivers.Length; r++)
                {
                    var remote = ((IPEndPoint)receivers[r].LocalEndPoint!).Serialize();
                    Assert.True(batch.Add(mux, Datagram(n * 3 + r, 100 + n * 10 + r), remote));
                }
            }
            // Nothing leaves before the batch closes but what overflowed it.
            Assert.Equal(1, batch.Flushes - before);
        }
        Assert.Equal(before + 2, batch.Flushes);

        for (var r = 0; r < receivers.Length; r++)
        {
            for (var n = 0; n < perReceiver; n++)
            {
                var length = receivers[r].Receive(buffer);
                Assert.Equal(Datagram(n * 3 + r, 100 + n * 10 + r), buffer[..length]);
            }
            receivers[r].Dispose();
        }
    }

    [Fact]
    public void Nested_batches_flush_once_at_the_outermost_close()
    {
        if (!UdpSendBatch.Supported) return; // sendmmsg is Linux-only; elsewhere transports send one by one
        using var mux = new UdpMux(new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System);
        using var receiver = Receiver();
        var remote = ((IPEndPoint)receiver.LocalEndPoint!).Serialize();
        receiver.ReceiveTimeout = 200;
        var buffer = new byte[2048];
        using (var outer = UdpSendBatch.Open())
        {
            using (var inner = UdpSendBatch.Open()) inner.Batch!.Add(mux, Datagram(1, 50), remote);
            Assert.Throws<SocketException>(() => receiver.Receive(buffer));
        }
        receiver.ReceiveTimeout = 2000;
        Assert.Equal(Datagram(1, 50), buffer[..receiver.Receive(buffer)]);
    }
}
