using System.Diagnostics;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Rtp;

namespace Sfu.LoadGen;

/// <summary>
/// A participant that only receives: its setup joins and connects the media link (answering the target's offers
/// for WebRTC targets); then it reads each packet's send-time stamp for one-way latency through the target, counts
/// packets and sequence gaps per stream, and sends an RTCP receiver report every second (RFC 3550 §6.4.2).
/// </summary>
internal sealed class SubscriberClient : IAsyncDisposable
{
    private readonly IMediaLink _link;
    private readonly IClientSetup _setup;
    private readonly uint _ssrc = (uint)Random.Shared.Next(1, int.MaxValue);
    private readonly Dictionary<uint, StreamState> _streams = [];
    private readonly object _gate = new();
    private readonly byte[] _rtcp = new byte[256];
    private Timer? _reports;
    private long _joinStarted;

    public SubscriberClient(IMediaLink link, IClientSetup setup)
    {
        _link = link;
        _setup = setup;
        _link.RtpReceived = OnRtp;
    }

    public Task Connected => _link.Connected;
    public string? Error => _setup.Error;
    /// <summary>From starting to join (before any signaling) to the first media packet, Stopwatch ticks; 0 until media arrived.</summary>
    public long JoinToFirstMedia { get; private set; }
    /// <summary>From starting to join to the media link being up (ICE and DTLS done), Stopwatch ticks; 0 until then.
    /// The rest of <see cref="JoinToFirstMedia"/> is the wait for the first forwarded packet (a keyframe for video).</summary>
    public long JoinToConnected { get; private set; }
    /// <summary>Latency samples (µs) are kept only while this is set: the measurement window.</summary>
    public volatile bool Recording;
    public LatencySamples Latency { get; } = new();
    public long Packets;
    public long Bytes;
    public long WindowPackets;
    /// <summary>Window packets that carried the load generator's send stamp (media it published, not padding or repairs).</summary>
    public long WindowStamped;
    /// <summary>How many SSRCs this subscriber has received RTP on.</summary>
    public int StreamCount { get { lock (_gate) return _streams.Count; } }
    public long WindowBytes;

    public async Task JoinAsync(CancellationToken ct)
    {
        _joinStarted = Stopwatch.GetTimestamp();
        _ = _link.Connected.ContinueWith(
            t =>
            {
                JoinToConnected = Stopwatch.GetTimestamp() - _joinStarted;
                _reports = new Timer(_ => SendReceiverReport(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            },
            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        await _setup.JoinAsync(ct);
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
            WindowStamped++;
            var arrivalMicros = (long)(arrival * (1_000_000.0 / Stopwatch.Frequency));
            Latency.Add(arrivalMicros - sent);
        }
    }

    private void SendReceiverReport()
    {
        if (!_link.IsConnected) return;
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
        if (n > 0) _link.SendRtcp(_rtcp, n);
    }

    public async ValueTask DisposeAsync()
    {
        _reports?.Dispose();
        try
        {
            await _setup.DisposeAsync();
        }
        finally
        {
            _link.Dispose();
        }
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
