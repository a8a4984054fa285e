using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Srtp;
using Sfu.WebRtc.Stun;

namespace Sfu.LoadGen;

/// <summary>
/// One client peer connection to the SFU or to Janus, built from Sfu.WebRtc pieces: a UDP socket connected to the
/// server's host candidate, an ICE agent, DTLS in the role the SDP exchange gave us, then SRTP/SRTCP both ways.
/// Against an ICE-lite server (our SFU) we are controlling and nominate with USE-CANDIDATE (RFC 8445 §2.5).
/// Against a full agent (Janus) the offerer controls (RFC 8445 §6.1.1): we control our publisher connection and
/// are controlled on subscriber connections, where Janus offers. A full agent also checks us, so inbound Binding
/// requests get a success response signed with our password (§7.3), or its checks and nomination never succeed.
/// One receive thread per connection reads the socket, so arrival times are taken as soon as the kernel hands a
/// datagram over.
/// </summary>
internal sealed class ClientTransport : IMediaLink
{
    private static readonly SrtpProfile[] Profiles = [SrtpProfile.AeadAes128Gcm, SrtpProfile.Aes128CmHmacSha1_80];
    // The handshake thread lingers only briefly: a load run has thousands of connections.
    private static readonly DtlsTransportOptions DtlsOptions = DtlsTransportOptions.Default with { LingerAfterHandshake = TimeSpan.FromSeconds(2) };
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(50);
    // RFC 7675 §5.1: consent checks well inside the server's 30 s timeout.
    private static readonly TimeSpan ConsentInterval = TimeSpan.FromSeconds(2);

    private readonly DtlsCertificate _certificate;
    private readonly Socket _socket;
    private readonly object _sendGate = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ulong _tieBreaker = (ulong)Random.Shared.NextInt64();
    private readonly byte[] _stunBuffer = new byte[512];
    private readonly byte[] _transaction = new byte[12];
    private Thread? _receiver;
    private Timer? _checks;
    private DtlsTransport? _dtls;
    private SrtpContext? _outbound;
    private SrtpContext? _inbound;
    private string _username = "";
    private byte[] _remotePassword = [];
    private readonly byte[] _responseBuffer = new byte[512];
    private byte[] _localPasswordBytes = [];
    private byte[] _localUfragBytes = [];
    private IPEndPoint? _remote;
    private volatile bool _controlling = true;
    private int _checkSucceeded;
    private int _nominated;
    private int _dtlsStarted;
    private Timer? _dtlsFallback;
    private volatile bool _disposed;

    public ClientTransport(DtlsCertificate certificate)
    {
        _certificate = certificate;
        LocalUfrag = IceCredentials.NewUfrag();
        LocalPassword = IceCredentials.NewPassword();
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.ReceiveBufferSize = 1024 * 1024;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public string LocalUfrag { get; }
    public string LocalPassword { get; }
    /// <summary>Our one host candidate, for SDP toward full ICE agents that check us.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;
    public string Fingerprint => _certificate.Sha256Fingerprint;
    /// <summary>Completes when SRTP keys are in place; faults when DTLS fails.</summary>
    public Task Connected => _connected.Task;
    public bool IsConnected => _outbound is not null;

    /// <summary>Called on the receive thread with a decrypted RTP packet and its arrival time (Stopwatch ticks).</summary>
    public Action<ReadOnlySpan<byte>, long>? RtpReceived { get; set; }
    /// <summary>Called on the receive thread with a decrypted compound RTCP packet.</summary>
    public Action<ReadOnlySpan<byte>>? RtcpReceived { get; set; }

    public long DatagramsReceived;
    public long SrtpFailures;
    public long StunRequestsAnswered;

    /// <summary>
    /// Starts ICE toward <paramref name="server"/>. As DTLS client the handshake follows the first successful
    /// check; as DTLS server (the peer answered setup:active) it waits for the peer's ClientHello at once.
    /// </summary>
    public void Start(IPEndPoint server, string remoteUfrag, string remotePassword, string remoteFingerprint,
        bool controlling = true, DtlsRole dtlsRole = DtlsRole.Client)
    {
        _remote = server;
        _socket.Connect(server);
        _username = $"{remoteUfrag}:{LocalUfrag}";
        _remotePassword = Encoding.UTF8.GetBytes(remotePassword);
        _localPasswordBytes = Encoding.UTF8.GetBytes(LocalPassword);
        _localUfragBytes = Encoding.UTF8.GetBytes(LocalUfrag);
        _controlling = controlling;
        _dtls = new DtlsTransport(_certificate, dtlsRole, "sha-256", remoteFingerprint, SendDtls, Profiles, DtlsOptions);
        _dtls.Completed.ContinueWith(OnDtlsCompleted, TaskScheduler.Default);
        if (dtlsRole == DtlsRole.Server) _dtls.Start();
        _receiver = new Thread(ReceiveLoop, 256 * 1024) { IsBackground = true, Name = "loadgen-rx" };
        _receiver.Start();
        _checks = new Timer(_ => SendCheck(), null, TimeSpan.Zero, CheckInterval);
    }

    private void SendCheck()
    {
        if (_disposed) return;
        lock (_sendGate)
        {
            RandomNumberGenerator.Fill(_transaction);
            // Priority of a host candidate, RFC 8445 §5.1.2.1 (type preference 126, component 1).
            const uint priority = (126u << 24) | (65535u << 8) | 255;
            var n = _controlling
                ? StunWriter.WriteBindingRequest(_stunBuffer, _transaction, _username, priority, _tieBreaker, useCandidate: true, _remotePassword)
                : WriteControlledRequest(priority);
            if (n > 0) TrySend(_stunBuffer.AsSpan(0, n));
        }
    }

    /// <summary>A controlled agent's check (RFC 8445 §7.2.2): ICE-CONTROLLED instead of ICE-CONTROLLING, never USE-CANDIDATE.</summary>
    private int WriteControlledRequest(uint priority)
    {
        var builder = new StunMessageBuilder(_stunBuffer, StunMethod.Binding, StunMethodClass.Request, _transaction);
        builder.AddUtf8(StunAttributeType.Username, _username);
        builder.AddUInt32(StunAttributeType.Priority, priority);
        builder.AddUInt64(StunAttributeType.IceControlled, _tieBreaker);
        builder.AddMessageIntegrity(_remotePassword);
        builder.AddFingerprint();
        return builder.Finish();
    }

    private void SendDtls(ReadOnlyMemory<byte> datagram)
    {
        lock (_sendGate) TrySend(datagram.Span);
    }

    private void TrySend(ReadOnlySpan<byte> datagram)
    {
        try
        {
            _socket.Send(datagram);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // ECONNREFUSED from an earlier ICMP, or shutdown: the next check or retransmission tries again.
        }
    }

    private void OnDtlsCompleted(Task<DtlsSrtpKeys> task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            _connected.TrySetException(task.Exception?.GetBaseException() ?? new InvalidOperationException("DTLS failed"));
            return;
        }
        var keys = task.Result;
        var (local, remote) = SrtpKeyMaterial.CreateContexts(keys.Profile, keys.KeyingMaterial, isDtlsServer: _dtls?.Role == DtlsRole.Server);
        _inbound = remote;
        _outbound = local;
        _connected.TrySetResult();
    }

    /// <summary>Protects and sends one RTP packet built in <paramref name="buffer"/> (room for the SRTP tag after it).</summary>
    public bool SendRtp(byte[] buffer, int length)
    {
        var context = _outbound;
        if (context is null) return false;
        lock (_sendGate)
        {
            if (context.ProtectRtp(buffer, length, out var n) != SrtpResult.Ok) return false;
            TrySend(buffer.AsSpan(0, n));
        }
        return true;
    }

    public bool SendRtcp(byte[] buffer, int length)
    {
        var context = _outbound;
        if (context is null) return false;
        lock (_sendGate)
        {
            if (context.ProtectRtcp(buffer, length, out var n) != SrtpResult.Ok) return false;
            TrySend(buffer.AsSpan(0, n));
        }
        return true;
    }

    private void ReceiveLoop() => UdpReceiveLoop.Run(_socket, () => _disposed, OnDatagram);

    private void OnDatagram(byte[] buffer, int n, long arrival)
    {
        DatagramsReceived++;
        var first = buffer[0];
        // RFC 7983 §7: demultiplex by the first byte.
        if (first <= 3) OnStun(buffer.AsSpan(0, n));
        else if (first is >= 20 and <= 63) _dtls?.Receive(buffer.AsSpan(0, n));
        else if (first is >= 128 and <= 191) OnSrtp(buffer, n, arrival);
    }

    private void OnStun(ReadOnlySpan<byte> datagram)
    {
        if (!StunMessageView.TryParse(datagram, out var msg)) return;
        switch (msg.Class)
        {
            case StunMethodClass.Request:
                AnswerCheck(msg);
                return;
            case StunMethodClass.ErrorResponse when msg.ErrorCode == 487 && msg.VerifyMessageIntegrity(_remotePassword):
                // RFC 8445 §7.2.5.1: a role conflict answered with 487 means we take the other role and retry.
                _controlling = !_controlling;
                return;
            case StunMethodClass.SuccessResponse when msg.VerifyMessageIntegrity(_remotePassword):
                if (Interlocked.Exchange(ref _checkSucceeded, 1) != 0) return;
                _checks?.Change(ConsentInterval, ConsentInterval);
                // Controlling, we nominated with this very check. Controlled, the pair is only selected once the
                // controlling agent nominates it (RFC 8445 §7.3.1.5): Janus drops DTLS that arrives before, and
                // BouncyCastle would resend the ClientHello only after 1 s. Should nomination never come, start anyway.
                if (_controlling || Volatile.Read(ref _nominated) == 1) StartDtlsClient();
                else _dtlsFallback = new Timer(_ => StartDtlsClient(), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
                return;
        }
    }

    /// <summary>
    /// A full ICE agent's check of our candidate (RFC 8445 §7.3): USERNAME is "ourUfrag:theirUfrag" and
    /// MESSAGE-INTEGRITY is keyed with our password; the success response carries the source address as
    /// XOR-MAPPED-ADDRESS and is signed with our password too.
    /// </summary>
    private void AnswerCheck(StunMessageView msg)
    {
        if (_remote is null || !msg.TrySplitUsername(out var receiver, out _)) return;
        if (!receiver.SequenceEqual(_localUfragBytes) || !msg.VerifyMessageIntegrity(_localPasswordBytes)) return;
        lock (_sendGate)
        {
            var n = StunWriter.WriteBindingSuccess(_responseBuffer, msg.TransactionId, _remote, _localPasswordBytes);
            if (n > 0) TrySend(_responseBuffer.AsSpan(0, n));
        }
        StunRequestsAnswered++;
        if (msg.UseCandidate && Interlocked.Exchange(ref _nominated, 1) == 0 && Volatile.Read(ref _checkSucceeded) == 1) StartDtlsClient();
    }

    private void StartDtlsClient()
    {
        if (_disposed || _dtls is not { Role: DtlsRole.Client } dtls || Interlocked.Exchange(ref _dtlsStarted, 1) != 0) return;
        dtls.Start();
    }

    private void OnSrtp(byte[] buffer, int length, long arrival)
    {
        var context = _inbound;
        if (context is null) return;
        if (RtcpPacket.IsRtcp(buffer.AsSpan(0, length)))
        {
            if (context.UnprotectRtcp(buffer, length, out var n) == SrtpResult.Ok) RtcpReceived?.Invoke(buffer.AsSpan(0, n));
            else SrtpFailures++;
            return;
        }
        if (context.UnprotectRtp(buffer, length, out var m) == SrtpResult.Ok) RtpReceived?.Invoke(buffer.AsSpan(0, m), arrival);
        else SrtpFailures++;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _checks?.Dispose();
        _dtlsFallback?.Dispose();
        _dtls?.Dispose();
        _socket.Dispose();
        _receiver?.Join(TimeSpan.FromSeconds(1));
        _outbound?.Dispose();
        _inbound?.Dispose();
    }
}
