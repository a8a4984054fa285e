using System.Net;
using System.Net.Sockets;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Srtp;

namespace Sfu.Relay;

/// <summary>
/// The ceiling an SFU hop is measured against: one thread, one socket; receive a datagram, look its sender up,
/// and send it to every subscriber of the sender's room. In <see cref="RelayMode.Srtp"/> it also unprotects once
/// per packet and re-protects once per subscriber (each subscriber has its own <see cref="SrtpContext"/>, as an
/// SFU's egress has), which is the least crypto work an SRTP forwarder can do. No RTCP, no rewriting, no
/// signaling, no queues: whatever an SFU costs above this is the price of its structure.
/// </summary>
public sealed class BareRelay(Socket socket, RelayMode mode) : IDisposable
{
    private readonly Dictionary<SocketAddress, Publisher> _publishers = [];
    private readonly Dictionary<uint, List<Subscriber>> _rooms = [];
    private readonly Dictionary<SocketAddress, Subscriber> _subscribers = [];
    private readonly byte[] _material = RelayProtocol.KeyingMaterial();
    private volatile bool _stopped;

    public long Received;
    public long Forwarded;
    public long Dropped;

    public void Run()
    {
        var buffer = new byte[2048];
        var output = new byte[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (!_stopped)
        {
            int n;
            try
            {
                n = socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
            {
                continue;
            }
            catch (Exception) when (_stopped)
            {
                return;
            }
            Received++;
            if (n == 0) continue;
            if (buffer[0] == RelayProtocol.Register)
            {
                OnRegister(buffer.AsSpan(0, n), from);
                continue;
            }
            // RTCP from subscribers (receiver reports) ends here: a relay has no use for it.
            if (buffer[0] is < 128 or > 191 || RtcpPacket.IsRtcp(buffer.AsSpan(0, n)) || !_publishers.TryGetValue(from, out var publisher))
            {
                Dropped++;
                continue;
            }
            if (publisher.Inbound is { } inbound && inbound.UnprotectRtp(buffer, n, out n) != SrtpResult.Ok)
            {
                Dropped++;
                continue;
            }
            foreach (var s in publisher.Room)
            {
                var length = n;
                ReadOnlySpan<byte> datagram = buffer.AsSpan(0, n);
                if (s.Outbound is { } outbound)
                {
                    buffer.AsSpan(0, n).CopyTo(output);
                    if (outbound.ProtectRtp(output, n, out length) != SrtpResult.Ok) continue;
                    datagram = output.AsSpan(0, length);
                }
                try
                {
                    socket.SendTo(datagram, SocketFlags.None, s.Address);
                    Forwarded++;
                }
                catch (SocketException)
                {
                    Dropped++;
                }
            }
        }
    }

    private void OnRegister(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        if (!RelayProtocol.TryParse(datagram, out _, out var role, out var room)) return;
        if (!_rooms.TryGetValue(room, out var members)) _rooms[room] = members = [];
        if (role == RelayProtocol.Publisher && !_publishers.ContainsKey(from))
        {
            // The relay's server half: Remote unprotects what a client (DTLS-client keys) protected.
            SrtpContext? inbound = null;
            if (mode == RelayMode.Srtp)
            {
                var (local, remote) = SrtpKeyMaterial.CreateContexts(RelayProtocol.Profile, _material, isDtlsServer: true);
                local.Dispose();
                inbound = remote;
            }
            _publishers[Copy(from)] = new Publisher(members, inbound);
        }
        else if (role == RelayProtocol.Subscriber && !_subscribers.ContainsKey(from))
        {
            SrtpContext? outbound = null;
            if (mode == RelayMode.Srtp)
            {
                var (local, remote) = SrtpKeyMaterial.CreateContexts(RelayProtocol.Profile, _material, isDtlsServer: true);
                remote.Dispose();
                outbound = local;
            }
            var subscriber = new Subscriber(Copy(from), outbound);
            _subscribers[subscriber.Address] = subscriber;
            members.Add(subscriber);
        }
        Span<byte> ack = stackalloc byte[RelayProtocol.Length];
        RelayProtocol.Write(ack, RelayProtocol.Registered, role, room);
        socket.SendTo(ack, SocketFlags.None, from);
    }

    private static SocketAddress Copy(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.CopyTo(copy.Buffer);
        return copy;
    }

    public void Dispose()
    {
        _stopped = true;
        socket.Dispose();
    }

    private sealed record Publisher(List<Subscriber> Room, SrtpContext? Inbound);

    private sealed record Subscriber(SocketAddress Address, SrtpContext? Outbound);
}

public enum RelayMode
{
    Udp,
    Srtp,
}
