using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Sfu.WebRtc.Srtp;
using BcDtlsTransport = Org.BouncyCastle.Tls.DtlsTransport;

namespace Sfu.WebRtc.Dtls;

/// <summary>
/// One DTLS-SRTP association (RFC 5764) over a datagram path owned by the caller. BouncyCastle's handshake blocks,
/// so it runs on a dedicated background thread; datagrams are fed in through a bounded queue and go out through
/// the <c>send</c> callback. The outcome is <see cref="Completed"/>: SRTP keys, or a <see cref="DtlsHandshakeException"/>.
/// </summary>
public sealed class DtlsTransport : IDisposable
{
    private static int s_threadIds;

    private readonly DtlsCertificate _certificate;
    private readonly RemoteFingerprint _remote;
    private readonly IReadOnlyList<SrtpProfile> _profiles;
    private readonly DtlsTransportOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _cancel;
    private readonly QueuedDatagramTransport _datagrams;
    private readonly TaskCompletionSource<DtlsSrtpKeys> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private Thread? _thread;
    private BcDtlsTransport? _session;
    private volatile DtlsPeerState? _state;
    private bool _threadExited;
    private bool _disposed;
    private int _sessionClosed;

    public DtlsTransport(DtlsCertificate certificate, DtlsRole role, string remoteFingerprintAlgorithm,
        string remoteFingerprint, Action<ReadOnlyMemory<byte>> send, IReadOnlyList<SrtpProfile> profilesInPreferenceOrder)
        : this(certificate, role, remoteFingerprintAlgorithm, remoteFingerprint, send, profilesInPreferenceOrder,
            DtlsTransportOptions.Default)
    {
    }

    public DtlsTransport(DtlsCertificate certificate, DtlsRole role, string remoteFingerprintAlgorithm,
        string remoteFingerprint, Action<ReadOnlyMemory<byte>> send, IReadOnlyList<SrtpProfile> profilesInPreferenceOrder,
        DtlsTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(options);
        SrtpProfileNegotiation.Validate(profilesInPreferenceOrder);
        _certificate = certificate;
        Role = role;
        _remote = new RemoteFingerprint(remoteFingerprintAlgorithm, remoteFingerprint);
        _profiles = profilesInPreferenceOrder.ToArray();
        _options = options;
        _deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, options.TimeProvider);
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _deadline.Token);
        _datagrams = new QueuedDatagramTransport(send, options.MaxSendDatagramSize, options.MaxReceiveDatagramSize,
            options.ReceiveQueueCapacity, _cancel.Token, _stop.Token);
    }

    public DtlsRole Role { get; }

    /// <summary>
    /// Completes with the SRTP keys, or faults with a <see cref="DtlsHandshakeException"/>. An exception thrown by the
    /// <c>send</c> callback fails the handshake too.
    /// </summary>
    public Task<DtlsSrtpKeys> Completed => _completed.Task;

    /// <summary>
    /// The peer sent close_notify after the handshake (seen only while the handshake thread still lingers).
    /// Raised on the handshake thread; handlers must not throw.
    /// </summary>
    public event Action? Closed;

    /// <summary>Datagrams not delivered to the handshake: queue full, oversized, or arriving after the thread ended.</summary>
    public long DroppedDatagrams => _datagrams.Dropped;

    /// <summary>Starts the handshake on its own background thread; returns at once.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_thread is not null)
                throw new InvalidOperationException("The DTLS handshake has already been started.");
            _thread = new Thread(Run)
            {
                Name = $"dtls-{Role.ToString().ToLowerInvariant()}-{Interlocked.Increment(ref s_threadIds)}",
                IsBackground = true,
            };
            _deadline.CancelAfter(_options.HandshakeTimeout);
            _thread.Start();
        }
    }

    /// <summary>
    /// Feeds one incoming DTLS datagram (RFC 7983: first byte 20..63, demultiplexed by the caller).
    /// Copies it; never blocks; callable from any thread, also before <see cref="Start"/>.
    /// </summary>
    public void Receive(ReadOnlySpan<byte> datagram)
    {
        if (Volatile.Read(ref _threadExited) || Volatile.Read(ref _disposed))
            _datagrams.CountDropped();
        else
            _datagrams.Enqueue(datagram);
    }

    /// <summary>
    /// Fails <see cref="Completed"/> if still pending, sends close_notify if connected, and stops the handshake
    /// thread. Does not wait for the thread: it wakes at once and ends on its own.
    /// </summary>
    public void Dispose()
    {
        BcDtlsTransport? session;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            session = _session;
        }
        _completed.TrySetException(new DtlsHandshakeException(DtlsFailureReason.Disposed, "The DTLS transport was disposed."));
        // BouncyCastle allows closing from another thread (it is how TlsPeer.Cancel works); closing first lets
        // close_notify go out before the cancelled wait makes the record layer give up.
        if (session is not null)
            CloseSession(session);
        _stop.Cancel();
    }

    private void Run()
    {
        try
        {
            BcTlsCrypto crypto = new DtlsCrypto(new SecureRandom());
            var state = new DtlsPeerState();
            _state = state;
            BcDtlsTransport session;
            if (Role == DtlsRole.Server)
            {
                var server = new DtlsSrtpServer(crypto, _certificate, _remote, _profiles, _options, state);
                var protocol = new DtlsServerProtocol();
                session = _options.UseHelloVerifyRequest
                    ? protocol.Accept(server, _datagrams, AwaitVerifiedClientHello(crypto))
                    : protocol.Accept(server, _datagrams);
            }
            else
            {
                var client = new DtlsSrtpClient(crypto, _certificate, _remote, _profiles, _options, state);
                session = new DtlsClientProtocol().Connect(client, _datagrams);
            }
            _datagrams.MarkHandshakeDone();
            _deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            var keys = state.Keys ?? throw new InvalidOperationException("The handshake finished without exporting SRTP keys.");
            lock (_gate)
            {
                if (!_disposed)
                    _session = session;
            }
            if (_session is null)
            {
                CloseSession(session);
                return;
            }
            _completed.TrySetResult(keys);
            Linger(session, state);
        }
        catch (Exception e)
        {
            _completed.TrySetException(Classify(e));
        }
        finally
        {
            Volatile.Write(ref _threadExited, true);
        }
    }

    /// <summary>
    /// RFC 6347 §4.2.1: answer ClientHellos without a valid cookie with a stateless HelloVerifyRequest; only a
    /// ClientHello echoing our cookie starts the real handshake.
    /// </summary>
    private DtlsRequest AwaitVerifiedClientHello(BcTlsCrypto crypto)
    {
        var verifier = new DtlsVerifier(crypto);
        // The cookie binds a ClientHello to the client's address; one transport serves exactly one ICE-selected
        // 5-tuple, so a constant identifies it.
        var clientId = "webrtc-peer"u8.ToArray();
        var buffer = new byte[_options.MaxReceiveDatagramSize];
        while (true)
        {
            var received = _datagrams.Receive(buffer, int.MaxValue);
            if (received <= 0)
                continue;
            var request = verifier.VerifyRequest(clientId, buffer, 0, received, _datagrams);
            if (request is not null)
                return request;
        }
    }

    /// <summary>
    /// Keeps reading for a while after success: BouncyCastle retransmits our final flight when the peer repeats its
    /// own (RFC 6347 §4.2.4), and an early close_notify is noticed. Then the thread ends to free it.
    /// </summary>
    private void Linger(BcDtlsTransport session, DtlsPeerState state)
    {
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        var buffer = new byte[_options.MaxReceiveDatagramSize];
        while (!_stop.IsCancellationRequested)
        {
            var left = _options.LingerAfterHandshake - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
                return;
            var failed = false;
            try
            {
                // Never 0: BouncyCastle reads a zero wait as "forever".
                session.Receive(buffer, 0, buffer.Length, (int)Math.Min(left.TotalMilliseconds, 1000) + 1);
            }
            catch (IOException)
            {
                // A fatal alert, our own close, or the close that follows the peer's close_notify; the keys already
                // handed out stay usable until the owner tears the session down.
                failed = true;
            }
            if (state.CloseNotifyReceived)
            {
                Interlocked.Exchange(ref _sessionClosed, 1);
                Closed?.Invoke();
                return;
            }
            if (failed)
                return;
        }
    }

    private void CloseSession(BcDtlsTransport session)
    {
        if (Interlocked.Exchange(ref _sessionClosed, 1) != 0)
            return;
        try
        {
            session.Close();
        }
        catch (IOException)
        {
            // close_notify is a courtesy (RFC 5246 §7.2.1); the peer also learns of the end via ICE consent.
        }
    }

    private DtlsHandshakeException Classify(Exception e)
    {
        var state = _state;
        if (state?.Failure is { } reason)
            return new DtlsHandshakeException(reason, state.FailureMessage!, e);
        if (state?.FatalAlertReceived is { } alert)
            return new DtlsHandshakeException(DtlsFailureReason.AlertReceived,
                $"The peer sent fatal alert {AlertDescription.GetText(alert)}.", e, alert);
        if (_stop.IsCancellationRequested)
            return new DtlsHandshakeException(DtlsFailureReason.Disposed, "The DTLS transport was disposed.", e);
        if (_deadline.IsCancellationRequested || e is TlsTimeoutException || e.InnerException is TlsTimeoutException)
            return new DtlsHandshakeException(DtlsFailureReason.Timeout,
                $"The DTLS handshake did not finish within {_options.HandshakeTimeout.TotalSeconds:0.#} s.", e);
        return new DtlsHandshakeException(DtlsFailureReason.ProtocolError, $"The DTLS handshake failed: {e.Message}", e);
    }
}
