using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Sfu.WebRtc.Stun;

namespace Sfu.WebRtc.Transport;

/// <summary>
/// All participants' media on one UDP port (as mediasoup's WebRtcServer and LiveKit's UDP mux do).
/// Datagrams are told apart by their first byte (RFC 7983 §7): STUN is routed by the local ICE ufrag in
/// USERNAME, everything else by the remote address that a valid STUN check bound to a transport.
/// </summary>
public sealed class UdpMux : IDisposable
{
    private readonly Socket _socket;
    // One socket per receive thread, all on the same port (SO_REUSEPORT): the kernel hashes each remote address to one
    // of them, so a peer's datagrams are always read by the same thread, in order (a second thread reading the same
    // socket could hand two packets of one stream, or two records of one DTLS flight, over out of order).
    private readonly Socket[] _sockets;
    private readonly ConcurrentDictionary<string, WebRtcTransport> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SocketAddress, WebRtcTransport> _byAddress = new();
    private readonly Thread[] _receivers;
    /// <summary>How many threads read the socket (and, with inline media graphs, process what they read).</summary>
    public int ReceiveThreads => _receivers.Length;
    private readonly ITimer _sweep;
    private readonly Action<string> _report;
    private volatile bool _stopped;
    private volatile bool _started;
    private static long _dtlsFailures;
    private readonly nint _fd;
    private volatile bool _kernelStamps;
    private int _stampFailures;

    public UdpMux(IPEndPoint bindTo, TimeProvider time, int receiveThreads = 1, Action<string>? report = null, TimeSpan? connectTimeout = null)
    {
        Time = time;
        _report = report ?? (_ => { });
        var threads = OperatingSystem.IsLinux() ? Math.Max(1, receiveThreads) : 1;
        _sockets = new Socket[threads];
        _socket = _sockets[0] = NewSocket(bindTo, threads > 1);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        for (var i = 1; i < threads; i++) _sockets[i] = NewSocket(LocalEndPoint, reusePort: true);
        // Kernel receive times need the real clock: a test's manual TimeProvider keeps the read time.
        _kernelStamps = KernelReceiveTime.Supported && time == TimeProvider.System;
        _fd = _socket.SafeHandle.DangerousGetHandle();
        _receivers = new Thread[threads];
        for (var i = 0; i < _receivers.Length; i++)
        {
            var socket = _sockets[i];
            _receivers[i] = new Thread(() => ReceiveLoop(socket)) { IsBackground = true, Name = $"sfu-udp-rx-{i}" };
        }
        var timeout = connectTimeout ?? TimeSpan.FromSeconds(30);
        _sweep = time.CreateTimer(_ => Sweep(timeout), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public TimeProvider Time { get; }
    public IPEndPoint LocalEndPoint { get; }
    public int TransportCount => _byUfrag.Count;
    public static long DtlsFailures => Interlocked.Read(ref _dtlsFailures);
    internal static void CountDtlsFailure() => Interlocked.Increment(ref _dtlsFailures);

    /// <summary>The socket is bound (it is from construction) and its receive threads run: media can arrive.</summary>
    public bool Receiving => _started && !_stopped;

    public void Start()
    {
        foreach (var t in _receivers) t.Start();
        _started = true;
    }

    public void Register(WebRtcTransport transport) => _byUfrag[transport.LocalUfrag] = transport;

    public void Unregister(WebRtcTransport transport)
    {
        _byUfrag.TryRemove(new KeyValuePair<string, WebRtcTransport>(transport.LocalUfrag, transport));
        var remote = transport.RemoteAddress;
        if (remote is not null) UnbindAddress(remote, transport);
    }

    internal void BindAddress(SocketAddress address, WebRtcTransport transport) => _byAddress[address] = transport;

    internal void UnbindAddress(SocketAddress address, WebRtcTransport transport) =>
        _byAddress.TryRemove(new KeyValuePair<SocketAddress, WebRtcTransport>(address, transport));

    internal void Report(string message) => _report(message);

    public bool SendTo(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, remote);
            return true;
        }
        catch (SocketException)
        {
            DropCounters.Count(DropReason.SendFailed);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int sendmmsg(nint fd, UdpSendBatch.MMsgHdr* messages, uint count, int flags);

    /// <summary>One sendmmsg(2) on the socket: how many of the messages the kernel took, or -1.</summary>
    internal unsafe int SendMany(UdpSendBatch.MMsgHdr* messages, uint count)
    {
        if (_stopped) return (int)count;
        return sendmmsg(_fd, messages, count, 0);
    }

    private static Socket NewSocket(IPEndPoint bindTo, bool reusePort)
    {
        var socket = new Socket(bindTo.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // SOL_SOCKET, SO_REUSEPORT (asm-generic/socket.h): set on every socket of the group before it binds.
        if (reusePort) socket.SetRawSocketOption(1, 15, BitConverter.GetBytes(1));
        // Bursty video (a keyframe is dozens of packets) must not overflow the kernel queue while a thread is busy.
        socket.ReceiveBufferSize = 8 * 1024 * 1024;
        socket.SendBufferSize = 8 * 1024 * 1024;
        socket.Bind(bindTo);
        return socket;
    }

    private void ReceiveLoop(Socket socket)
    {
        var fd = socket.SafeHandle.DangerousGetHandle();
        var remote = new SocketAddress(socket.AddressFamily);
        var scratch = new byte[1500];
        MediaPacket? packet = null;
        while (!_stopped)
        {
            packet ??= MediaPacket.Rent();
            int length;
            try
            {
                length = socket.ReceiveFrom(packet.Buffer.AsSpan(0, MediaPacket.BufferSize - 64), SocketFlags.None, remote);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue;
            }
            catch (Exception) when (_stopped)
            {
                break;
            }
            if (length <= 0) continue;
            packet.Length = length;
            packet.ArrivalTimestamp = Time.GetTimestamp();
            if (_kernelStamps && length >= 12 && packet.Buffer[0] is >= 128 and <= 191 && packet.Buffer[1] is < 192 or > 223)
                packet.ArrivalTimestamp = KernelArrival(fd, packet.ArrivalTimestamp);
            if (Dispatch(packet, remote, scratch)) packet = null;
        }
        packet?.Release();
    }

    /// <summary>The read time moved back to when the kernel received the RTP datagram (see <see cref="KernelReceiveTime"/>).</summary>
    private long KernelArrival(nint fd, long readTimestamp)
    {
        var age = KernelReceiveTime.AgeMicros(fd);
        if (age < 0)
        {
            // The first call only switches stamping on (ENOENT); a kernel without it fails every time.
            if (Interlocked.Increment(ref _stampFailures) > 100) _kernelStamps = false;
            return readTimestamp;
        }
        // An age beyond a second means the clocks stepped (NTP), not a datagram that waited that long.
        return age > 1_000_000 ? readTimestamp : readTimestamp - age * Time.TimestampFrequency / 1_000_000;
    }

    /// <summary>Routes one datagram. Returns true when ownership of <paramref name="packet"/> moved on.</summary>
    internal bool Dispatch(MediaPacket packet, SocketAddress remote, byte[] scratch)
    {
        var data = packet.Buffer.AsSpan(0, packet.Length);
        var first = data[0];
        if (first <= 3)
        {
            HandleStun(data, remote, scratch);
            return false;
        }
        if (first is >= 20 and <= 63)
        {
            if (_byAddress.TryGetValue(remote, out var t)) t.OnDtlsDatagram(data);
            else DropCounters.Count(DropReason.UnknownRemoteAddress);
            return false;
        }
        if (first is >= 128 and <= 191 && packet.Length >= 12)
        {
            if (_byAddress.TryGetValue(remote, out var t))
            {
                t.OnMediaDatagram(packet);
                return true;
            }
            DropCounters.Count(DropReason.UnknownRemoteAddress);
            return false;
        }
        Drop(DropReason.UnknownDatagram, remote);
        return false;
    }

    private void HandleStun(ReadOnlySpan<byte> data, SocketAddress remote, byte[] scratch)
    {
        if (!StunMessageView.TryParse(data, out var msg)) { Drop(DropReason.MalformedStun, remote); return; }
        if (msg.Class == StunMethodClass.Indication) return; // keepalives need no answer (RFC 8489 §6.3.2)
        if (msg.Method != 0x001 || msg.Class != StunMethodClass.Request) { Drop(DropReason.MalformedStun, remote); return; }
        if (!msg.HasUsername || !msg.HasMessageIntegrity) { Drop(DropReason.MalformedStun, remote); return; }
        var username = msg.Username;
        var colon = username.IndexOf((byte)':');
        if (colon <= 0) { Drop(DropReason.MalformedStun, remote); return; }
        var ufrag = Encoding.UTF8.GetString(username[..colon]);
        if (!_byUfrag.TryGetValue(ufrag, out var transport)) { Drop(DropReason.StunUnknownUser, remote); return; }
        if (msg.HasFingerprint && !msg.VerifyFingerprint()) { Drop(DropReason.StunBadFingerprint, remote); return; }
        if (!msg.VerifyMessageIntegrity(transport.LocalPasswordBytes))
        {
            // RFC 8489 §9.1.3: a request whose integrity fails gets 401 without integrity of its own.
            Drop(DropReason.StunBadIntegrity, remote);
            var n = StunWriter.WriteBindingError(scratch, msg.TransactionId, 401, "Unauthorized", ReadOnlySpan<byte>.Empty);
            if (n > 0) SendTo(scratch.AsSpan(0, n), remote);
            return;
        }
        if (transport.State >= TransportState.Failed) return;
        // Bind before answering, so the transport is ready for DTLS by the time the peer sees the response.
        transport.OnStunRequest(msg, remote);
        var mapped = ToEndPoint(remote);
        var written = StunWriter.WriteBindingSuccess(scratch, msg.TransactionId, mapped, transport.LocalPasswordBytes);
        if (written > 0) SendTo(scratch.AsSpan(0, written), remote);
    }

    private void Drop(DropReason reason, SocketAddress remote)
    {
        DropCounters.Count(reason);
        if (DropCounters.FirstOccurrence(reason)) _report($"dropped datagram from {ToEndPoint(remote)}: {reason} (logged once; counted in sfu_dropped_packets_total)");
    }

    private void Sweep(TimeSpan connectTimeout)
    {
        foreach (var t in _byUfrag.Values) t.CheckLiveness(connectTimeout);
    }

    internal static SocketAddress Copy(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }

    internal static IPEndPoint ToEndPoint(SocketAddress address) =>
        (IPEndPoint)new IPEndPoint(address.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(address);

    public void Dispose()
    {
        _stopped = true;
        _sweep.Dispose();
        foreach (var socket in _sockets) socket.Dispose();
    }
}
