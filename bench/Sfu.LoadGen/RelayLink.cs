using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sfu.Relay;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Srtp;

namespace Sfu.LoadGen;

/// <summary>
/// A client of the bare relays (bench/Sfu.Relay): a UDP socket connected to the relay, registered for a room as
/// publisher or subscriber (<see cref="RelayProtocol"/>, resent every 100 ms until acknowledged), sending and
/// receiving plain RTP or SRTP with the pre-shared keys. It is its own setup: there is no signaling.
/// </summary>
internal sealed class RelayLink : IMediaLink, IClientSetup
{
    private static readonly TimeSpan RegisterInterval = TimeSpan.FromMilliseconds(100);
    private readonly Socket _socket;
    private readonly IPEndPoint _relay;
    private readonly byte _role;
    private readonly uint _room;
    private readonly SrtpContext? _outbound;
    private readonly SrtpContext? _inbound;
    private readonly object _sendGate = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _receiver;
    private Timer? _register;
    private volatile bool _registered;
    private volatile bool _disposed;

    public RelayLink(IPEndPoint relay, bool publisher, uint room, bool srtp)
    {
        _relay = relay;
        _role = publisher ? RelayProtocol.Publisher : RelayProtocol.Subscriber;
        _room = room;
        if (srtp)
            (_outbound, _inbound) = SrtpKeyMaterial.CreateContexts(RelayProtocol.Profile, RelayProtocol.KeyingMaterial(), isDtlsServer: false);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1024 * 1024 };
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public Task Connected => _connected.Task;
    public bool IsConnected => _registered;
    public Action<ReadOnlySpan<byte>, long>? RtpReceived { get; set; }
    public Action<ReadOnlySpan<byte>>? RtcpReceived { get; set; }
    public string? Error => null;

    public Task JoinAsync(CancellationToken ct)
    {
        _socket.Connect(_relay);
        _receiver = new Thread(ReceiveLoop, 256 * 1024) { IsBackground = true, Name = "loadgen-relay-rx" };
        _receiver.Start();
        _register = new Timer(_ => SendRegister(), null, TimeSpan.Zero, RegisterInterval);
        return Task.CompletedTask;
    }

    private void SendRegister()
    {
        if (_registered || _disposed) return;
        Span<byte> datagram = stackalloc byte[RelayProtocol.Length];
        RelayProtocol.Write(datagram, RelayProtocol.Register, _role, _room);
        lock (_sendGate) TrySend(datagram);
    }

    public bool SendRtp(byte[] buffer, int length)
    {
        if (!_registered) return false;
        lock (_sendGate)
        {
            var n = length;
            if (_outbound is not null && _outbound.ProtectRtp(buffer, length, out n) != SrtpResult.Ok) return false;
            TrySend(buffer.AsSpan(0, n));
        }
        return true;
    }

    public bool SendRtcp(byte[] buffer, int length)
    {
        if (!_registered) return false;
        lock (_sendGate)
        {
            var n = length;
            if (_outbound is not null && _outbound.ProtectRtcp(buffer, length, out n) != SrtpResult.Ok) return false;
            TrySend(buffer.AsSpan(0, n));
        }
        return true;
    }

    private void TrySend(ReadOnlySpan<byte> datagram)
    {
        try
        {
            _socket.Send(datagram);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private void ReceiveLoop() => UdpReceiveLoop.Run(_socket, () => _disposed, OnDatagram);

    private void OnDatagram(byte[] buffer, int n, long arrival)
    {
        if (buffer[0] == RelayProtocol.Registered)
        {
            _registered = true;
            _connected.TrySetResult();
            return;
        }
        if (buffer[0] is < 128 or > 191) return;
        if (RtcpPacket.IsRtcp(buffer.AsSpan(0, n)))
        {
            if (_inbound is null || _inbound.UnprotectRtcp(buffer, n, out n) == SrtpResult.Ok) RtcpReceived?.Invoke(buffer.AsSpan(0, n));
            return;
        }
        if (_inbound is null || _inbound.UnprotectRtp(buffer, n, out n) == SrtpResult.Ok) RtpReceived?.Invoke(buffer.AsSpan(0, n), arrival);
    }

    public ValueTask DisposeAsync() => default;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _register?.Dispose();
        _socket.Dispose();
        _receiver?.Join(TimeSpan.FromSeconds(1));
        _outbound?.Dispose();
        _inbound?.Dispose();
    }
}
