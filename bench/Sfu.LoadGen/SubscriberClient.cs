using System.Diagnostics;
using System.Text.Json;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Sdp;

namespace Sfu.LoadGen;

/// <summary>
/// A participant that only receives: answers every subscriber offer (recvonly, setup:active), connects once,
/// decrypts what arrives, reads each packet's send-time stamp for one-way latency through the SFU, counts
/// packets and sequence gaps per stream, and sends an RTCP receiver report every second (RFC 3550 §6.4.2).
/// </summary>
internal sealed class SubscriberClient : IAsyncDisposable
{
    private readonly string _roomId;
    private readonly string _name;
    private readonly SignalingClient _signaling = new();
    private readonly ClientTransport _transport;
    private readonly uint _ssrc = (uint)Random.Shared.Next(1, int.MaxValue);
    private readonly Dictionary<uint, StreamState> _streams = [];
    private readonly object _gate = new();
    private readonly byte[] _rtcp = new byte[256];
    private Timer? _reports;
    private long _joinStarted;
    private int _started;

    public SubscriberClient(string roomId, string name, DtlsCertificate certificate)
    {
        _roomId = roomId;
        _name = name;
        _transport = new ClientTransport(certificate);
        _transport.RtpReceived = OnRtp;
    }

    public Task Connected => _transport.Connected;
    public string? Error { get; private set; }
    /// <summary>From sending join to the first media packet, Stopwatch ticks; 0 until media arrived.</summary>
    public long JoinToFirstMedia { get; private set; }
    /// <summary>Latency samples (µs) are kept only while this is set: the measurement window.</summary>
    public volatile bool Recording;
    public LatencySamples Latency { get; } = new();
    public long Packets;
    public long Bytes;
    public long WindowPackets;
    public long WindowBytes;

    public async Task JoinAsync(Uri server, CancellationToken ct)
    {
        _signaling.Received = OnMessage;
        _signaling.Failed = e => Error ??= $"signaling: {e.Message}";
        await _signaling.ConnectAsync(server, ct);
        _joinStarted = Stopwatch.GetTimestamp();
        await _signaling.SendAsync(new { type = "join", roomId = _roomId, participantName = _name }, ct);
    }

    private async Task OnMessage(string type, JsonElement root)
    {
        switch (type)
        {
            case "offer" when SignalingClient.Text(root, "target") == "subscriber":
                var offer = SessionDescription.Parse(SignalingClient.Text(root, "sdp"));
                var answer = ClientSdp.SubscriberAnswer(offer, _transport);
                await _signaling.SendAsync(new { type = "answer", roomId = _roomId, sdp = answer, target = "subscriber" });
                if (Interlocked.Exchange(ref _started, 1) == 0)
                {
                    var (candidate, ufrag, pwd, fingerprint) = ClientSdp.ServerParameters(offer);
                    _transport.Start(candidate, ufrag, pwd, fingerprint);
                    _reports = new Timer(_ => SendReceiverReport(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
                }
                break;
            case "error":
                Error ??= $"{SignalingClient.Text(root, "code")}: {SignalingClient.Text(root, "message")}";
                break;
        }
    }

    /// <summary>Starts a measurement window: counters and loss restart from here.</summary>
    public void BeginWindow()
    {
        lock (_gate)
        {
            foreach (var s in _streams.Values) s.BeginWindow();
            WindowPackets = 0;
            WindowBytes = 0;
        }
        Recording = true;
    }

    public (long Expected, long Received) EndWindow()
    {
        Recording = false;
        lock (_gate)
        {
            long expected = 0, received = 0;
            foreach (var s in _streams.Values)
            {
                expected += s.WindowExpected;
                received += s.WindowReceived;
            }
            return (expected, received);
        }
    }

    private void OnRtp(ReadOnlySpan<byte> packet, long arrival)
    {
        if (!RtpHeader.TryParse(packet, out var header)) return;
        if (JoinToFirstMedia == 0) JoinToFirstMedia = arrival - _joinStarted;
        Packets++;
        Bytes += packet.Length;
        lock (_gate)
        {
            if (!_streams.TryGetValue(header.Ssrc, out var stream)) _streams[header.Ssrc] = stream = new StreamState(header.Ssrc);
            stream.OnPacket(header.SequenceNumber, Recording);
        }
        if (!Recording) return;
        WindowPackets++;
        WindowBytes += packet.Length;
        if (SyntheticVp8.TryReadStamp(packet.Slice(header.HeaderLength, header.PayloadLength), out var sent))
        {
            var arrivalMicros = (long)(arrival * (1_000_000.0 / Stopwatch.Frequency));
            Latency.Add(arrivalMicros - sent);
        }
    }

    private void SendReceiverReport()
    {
        if (!_transport.IsConnected) return;
        Span<ReportBlock> blocks = stackalloc ReportBlock[4];
        var count = 0;
        lock (_gate)
        {
            foreach (var s in _streams.Values)
            {
                if (count == blocks.Length) break;
                blocks[count++] = s.NextReportBlock();
            }
        }
        var n = ReceiverReport.Write(_rtcp, _ssrc, blocks[..count]);
        if (n > 0) _transport.SendRtcp(_rtcp, n);
    }

    public async ValueTask DisposeAsync()
    {
        _reports?.Dispose();
        try
        {
            await _signaling.SendAsync(new { type = "leave" });
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or InvalidOperationException or ObjectDisposedException)
        {
        }
        await _signaling.DisposeAsync();
        _transport.Dispose();
    }

    /// <summary>Sequence accounting for one received SSRC (RFC 3550 Appendix A.3), over the whole run and the window.</summary>
    private sealed class StreamState(uint ssrc)
    {
        private SequenceUnwrapper _unwrapper;
        private long _first = -1;
        private long _max = -1;
        private long _received;
        private long _expectedPrior;
        private long _receivedPrior;
        private long _windowFirst = -1;
        private long _windowReceived;

        public long WindowExpected => _windowFirst < 0 ? 0 : _max - _windowFirst + 1;
        public long WindowReceived => _windowReceived;

        public void OnPacket(ushort sequence, bool inWindow)
        {
            var ext = _unwrapper.Unwrap(sequence);
            if (_first < 0) _first = ext;
            if (ext > _max) _max = ext;
            _received++;
            if (!inWindow) return;
            if (_windowFirst < 0) _windowFirst = ext;
            if (ext >= _windowFirst) _windowReceived++;
        }

        public void BeginWindow()
        {
            _windowFirst = -1;
            _windowReceived = 0;
        }

        public ReportBlock NextReportBlock()
        {
            var expected = _max < 0 ? 0 : _max - _first + 1;
            var lost = Math.Max(0, expected - _received);
            var expectedInterval = expected - _expectedPrior;
            var lostInterval = expectedInterval - (_received - _receivedPrior);
            _expectedPrior = expected;
            _receivedPrior = _received;
            var fraction = expectedInterval <= 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
            return new ReportBlock(ssrc, fraction, (int)Math.Min(lost, ReportBlock.MaxCumulativeLost), (uint)Math.Max(0, _max), 0, 0, 0);
        }
    }
}
