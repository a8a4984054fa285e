using System.Net;
using System.Net.Sockets;
using System.Text;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Ice;
using Sfu.WebRtc.Srtp;
using Sfu.WebRtc.Stun;

namespace Sfu.WebRtc.Transport;

/// <summary>
/// One ICE-lite + DTLS-SRTP transport (one browser RTCPeerConnection, BUNDLEd, rtcp-mux).
/// The UDP mux feeds it; it owns the ICE credentials, the selected remote address, the DTLS handshake and
/// the SRTP contexts. Protection itself happens in the stream stages that hold <see cref="Inbound"/> and
/// <see cref="Outbound"/>, each used by one stage only (the contexts are single-threaded).
/// </summary>
public sealed class WebRtcTransport : IDisposable
{
    private readonly UdpMux _mux;
    private readonly DtlsCertificate _certificate;
    private readonly IReadOnlyList<SrtpProfile> _profiles;
    private readonly object _gate = new();
    private DtlsTransport? _dtls;
    private string? _remoteFingerprintAlgorithm;
    private string? _remoteFingerprint;
    private volatile SocketAddress? _remoteAddress;
    private volatile TransportState _state = TransportState.New;

    public WebRtcTransport(UdpMux mux, DtlsCertificate certificate, IReadOnlyList<SrtpProfile> profiles, TimeSpan consentTimeout, string name)
    {
        _mux = mux;
        _certificate = certificate;
        _profiles = profiles;
        Name = name;
        LocalUfrag = IceCredentials.NewUfrag();
        LocalPassword = IceCredentials.NewPassword();
        LocalPasswordBytes = Encoding.UTF8.GetBytes(LocalPassword);
        Consent = new ConsentFreshness(mux.Time, consentTimeout);
        CreatedTimestamp = mux.Time.GetTimestamp();
    }

    public string Name { get; }
    public string LocalUfrag { get; }
    public string LocalPassword { get; }
    internal byte[] LocalPasswordBytes { get; }
    public string? RemoteUfrag { get; private set; }
    public DtlsRole Role { get; private set; } = DtlsRole.Server;
    public ConsentFreshness Consent { get; }
    public long CreatedTimestamp { get; }
    public string LocalFingerprint => _certificate.Sha256Fingerprint;
    public TransportState State => _state;
    public SocketAddress? RemoteAddress => _remoteAddress;
    public IPEndPoint? RemoteEndPoint { get; private set; }
    public SrtpProfile? Profile { get; private set; }

    /// <summary>Decrypts what the peer sends. Only the ingress stage may use it.</summary>
    public SrtpContext? Inbound { get; private set; }
    /// <summary>Encrypts what we send. Only the egress stage may use it.</summary>
    public SrtpContext? Outbound { get; private set; }

    /// <summary>The stream layer's ingress queue; datagrams arriving while it is null are dropped.</summary>
    public IMediaSink? MediaSink { get; set; }

    public event Action<WebRtcTransport, TransportState>? StateChanged;

    public long PacketsReceived;
    public long BytesReceived;
    public long PacketsSent;
    public long BytesSent;

    /// <summary>Set from the remote description: its ICE credentials, DTLS fingerprint and the DTLS role we take.</summary>
    public void SetRemoteParameters(string ufrag, string fingerprintAlgorithm, string fingerprint, DtlsRole role)
    {
        lock (_gate)
        {
            RemoteUfrag = ufrag;
            _remoteFingerprintAlgorithm = fingerprintAlgorithm;
            _remoteFingerprint = fingerprint;
            Role = role;
        }
        // Browsers start ICE checks as soon as they apply our offer, often before their answer reaches us:
        // if a check already selected an address, DTLS can start now.
        if (_remoteAddress is not null) StartDtlsOnce();
    }

    public bool HasRemoteParameters => _remoteFingerprint is not null;

    internal void OnStunRequest(in StunMessageView request, SocketAddress remote)
    {
        Consent.OnValidRequest();
        var current = _remoteAddress;
        // ICE-lite (RFC 8445 §2.5): the full agent nominates. We take the first working address at once (so
        // DTLS can start) and move to a nominated one when USE-CANDIDATE names another.
        if (current is null || (request.UseCandidate && !current.Equals(remote)))
        {
            var copy = UdpMux.Copy(remote);
            if (current is not null) _mux.UnbindAddress(current, this);
            _remoteAddress = copy;
            RemoteEndPoint = UdpMux.ToEndPoint(copy);
            _mux.BindAddress(copy, this);
            StartDtlsOnce();
        }
    }

    private void StartDtlsOnce()
    {
        lock (_gate)
        {
            if (_dtls is not null || _remoteFingerprint is null || _state >= TransportState.Failed) return;
            _dtls = new DtlsTransport(_certificate, Role, _remoteFingerprintAlgorithm!, _remoteFingerprint, SendDtls, _profiles,
                DtlsTransportOptions.Default with { LingerAfterHandshake = DtlsLinger });
            SetState(TransportState.Connecting);
            _dtls.Completed.ContinueWith(OnDtlsCompleted, TaskScheduler.Default);
            _dtls.Closed += () => SetState(TransportState.Closed);
            _dtls.Start();
            foreach (var early in _earlyDtls) _dtls.Receive(early);
            _earlyDtls.Clear();
        }
    }

    // Long enough for a lost final flight to be retransmitted; short enough that a thousand joins do not hold a
    // thousand lingering handshake threads.
    private static readonly TimeSpan DtlsLinger = TimeSpan.FromSeconds(10);
    private const int MaxEarlyDtls = 8;
    private readonly List<byte[]> _earlyDtls = [];

    private void OnDtlsCompleted(Task<DtlsSrtpKeys> task)
    {
        if (task.IsCompletedSuccessfully)
        {
            var keys = task.Result;
            var (local, remote) = SrtpKeyMaterial.CreateContexts(keys.Profile, keys.KeyingMaterial, keys.IsServer);
            UseSrtp(remote, local);
        }
        else
        {
            _mux.Report($"transport {Name}: DTLS handshake failed: {task.Exception?.GetBaseException().Message}");
            UdpMux.CountDtlsFailure();
            SetState(TransportState.Failed);
        }
    }

    /// <summary>Installs SRTP contexts and marks the transport connected (DTLS does this; tests and tools may key it directly).</summary>
    public void UseSrtp(SrtpContext inbound, SrtpContext outbound)
    {
        Outbound = outbound;
        Inbound = inbound;
        Profile = inbound.Profile;
        SetState(TransportState.Connected);
    }

    private void SendDtls(ReadOnlyMemory<byte> datagram)
    {
        var remote = _remoteAddress;
        if (remote is not null) _mux.SendTo(datagram.Span, remote);
    }

    internal void OnDtlsDatagram(ReadOnlySpan<byte> datagram)
    {
        var dtls = _dtls;
        if (dtls is null)
        {
            // A ClientHello often arrives before the client's answer (with our DTLS role and its fingerprint) has
            // reached us; keeping it saves the client's 1 s retransmission timeout on every join.
            lock (_gate)
            {
                if (_dtls is null)
                {
                    if (_earlyDtls.Count < MaxEarlyDtls) _earlyDtls.Add(datagram.ToArray());
                    else DropCounters.Count(DropReason.NotConnected);
                    return;
                }
                dtls = _dtls;
            }
        }
        dtls.Receive(datagram);
    }

    /// <summary>Hands an SRTP/SRTCP datagram to the stream layer; consumes <paramref name="packet"/> either way.</summary>
    internal void OnMediaDatagram(MediaPacket packet)
    {
        PacketsReceived++;
        BytesReceived += packet.Length;
        MediaCounters.Add(MediaCounter.BytesReceived, packet.Length);
        var sink = MediaSink;
        if (_state != TransportState.Connected || sink is null)
        {
            DropCounters.Count(DropReason.NotConnected);
            packet.Release();
            return;
        }
        if (!sink.TryEnqueue(packet))
        {
            DropCounters.Count(DropReason.IngressQueueFull);
            packet.Release();
        }
    }

    /// <summary>Sends an already-protected datagram to the selected remote address.</summary>
    public bool Send(ReadOnlySpan<byte> datagram)
    {
        var remote = _remoteAddress;
        if (remote is null) return false;
        if (UdpSendBatch.Current is { } batch ? !batch.Add(_mux, datagram, remote) : !_mux.SendTo(datagram, remote)) return false;
        Interlocked.Increment(ref PacketsSent);
        Interlocked.Add(ref BytesSent, datagram.Length);
        MediaCounters.Add(MediaCounter.BytesSent, datagram.Length);
        return true;
    }

    /// <summary>Called by the mux's sweep: fails the transport when consent expired (RFC 7675 §5.1) or it never connected.</summary>
    internal void CheckLiveness(TimeSpan connectTimeout)
    {
        if (_state >= TransportState.Failed) return;
        if (_state == TransportState.Connected || _state == TransportState.Connecting)
        {
            if (Consent.IsExpired) { _mux.Report($"transport {Name}: consent expired"); SetState(TransportState.Failed); }
        }
        else if (_mux.Time.GetElapsedTime(CreatedTimestamp) > connectTimeout && HasRemoteParameters)
        {
            SetState(TransportState.Failed);
        }
    }

    private void SetState(TransportState state)
    {
        lock (_gate)
        {
            if (_state == state || _state >= TransportState.Failed) return;
            _state = state;
        }
        StateChanged?.Invoke(this, state);
    }

    public void Dispose()
    {
        SetState(TransportState.Closed);
        _mux.Unregister(this);
        _dtls?.Dispose();
    }
}
