using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Sfu.WebRtc.Srtp;

namespace Sfu.Benchmarks;

/// <summary>
/// One published VP8 packet (1200 bytes) through the server's forwarding code: ingress identification, the
/// up-track's fan-out loop (one copy + header rewrite + egress-queue write per subscriber), then each subscriber's
/// egress (dequeue + SRTP protect; with <see cref="Send"/> also the UDP send to a loopback socket nobody reads,
/// so the kernel drops once its buffer is full, after doing the send work). Times are per published packet:
/// divide by <see cref="Subscribers"/> for the cost per forwarded packet.
/// SRTP decrypt of the incoming packet is not included (see <see cref="SrtpBenchmarks.UnprotectRtp"/>).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ForwardingBenchmarks
{
    private const int Batch = 64;
    private ForwardingRig _rig = null!;
    private Socket? _sendSocket;
    private Socket? _sink;
    private SocketAddress? _sinkAddress;
    private Action<ReadOnlySpan<byte>>? _send;

    [Params(1, 10, 100)]
    public int Subscribers { get; set; }

    [Params(false, true)]
    public bool Send { get; set; }

    /// <summary>
    /// Published packets forwarded before the egress side drains: how many copies are in flight at once
    /// (4 ~ one video frame drained promptly; 64 ~ a keyframe burst or a busy egress thread).
    /// </summary>
    [Params(4, 64)]
    public int InFlight { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rig = new ForwardingRig(Subscribers, SrtpProfile.AeadAes128Gcm);
        if (!Send) return;
        _sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sinkAddress = _sink.LocalEndPoint!.Serialize();
        _sendSocket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _sendSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var socket = _sendSocket;
        var address = _sinkAddress;
        _send = datagram => socket.SendTo(datagram, SocketFlags.None, address);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int FanOut()
    {
        var sent = 0;
        for (var i = 0; i < Batch; i++)
        {
            _rig.Forward(_rig.NextDelta());
            if ((i + 1) % InFlight != 0) continue;
            foreach (var s in _rig.Subscribers) sent += s.Drain(_send);
        }
        return sent;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rig.Dispose();
        _sendSocket?.Dispose();
        _sink?.Dispose();
    }
}
