using Prometheus;
using Sfu.Actors.Media;
using Sfu.Actors.Rooms;
using Sfu.Web.Signaling;
using Sfu.WebRtc.Transport;

namespace Sfu.Web.Metrics;

/// <summary>
/// Every metric the node exports, in a registry of its own (so two servers in one test process do not mix), plus
/// prometheus-net's .NET runtime and process collectors. Gauges and the counters kept elsewhere (drops, DTLS
/// failures, RTCP feedback, bytes) are read when Prometheus scrapes; latency and restarts arrive through
/// <see cref="Observers"/>. docs/operations.md lists every metric.
/// </summary>
public sealed class SfuMetrics : IDisposable
{
    private readonly RoomDirectory _directory;
    private readonly RoomStatsSource _stats;
    private readonly SignalingGate _gate;
    private readonly List<IDisposable> _adapters = [];

    private readonly Gauge _rooms, _participants, _videoTracks, _audioTracks, _signalingSessions;
    private readonly Counter _bandwidth;
    private readonly Gauge _packetLoss, _jitter;
    private readonly Histogram _forwardingLatency;
    private readonly Counter _rtcpFeedback, _keyframeRequests, _dtlsFailures, _dropped, _graphRestarts, _joinsRefused;
    private readonly Counter _keyframeReasons, _nacksSent, _repaired, _repairedInTime, _unrepaired, _rtxRestored, _fecRecovered, _retransmissions, _nackUnanswerable, _nackMissingUpstream;

    private static readonly (string Label, MediaCounter Counter)[] KeyframeReasons =
    [
        ("subscriber_request", MediaCounter.KeyframeRequestsForSubscriber),
        ("new_subscriber", MediaCounter.KeyframeRequestsForNewSubscriber),
        ("layer_switch", MediaCounter.KeyframeRequestsForLayerSwitch),
        ("unrecoverable_loss", MediaCounter.KeyframeRequestsForLoss),
    ];

    /// <summary>Sub-millisecond resolution where an SFU hop should be (25 µs .. ~100 ms, doubling).</summary>
    public static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.000025, 2, 13);

    public SfuMetrics(RoomDirectory directory, RoomStatsSource stats, SignalingGate gate)
    {
        _directory = directory;
        _stats = stats;
        _gate = gate;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);

        _rooms = f.CreateGauge("webrtc_rooms_total", "Rooms hosted by this node.");
        _participants = f.CreateGauge("webrtc_participants_total", "Participants in the rooms of this node.");
        _videoTracks = f.CreateGauge("webrtc_video_tracks_total", "Published video tracks in the rooms of this node.");
        _audioTracks = f.CreateGauge("webrtc_audio_tracks_total", "Published audio tracks in the rooms of this node.");
        _bandwidth = f.CreateCounter("webrtc_bandwidth_usage_bytes",
            "SRTP/SRTCP bytes through the media port (counter: use rate() for bytes per second). direction=in: received from peers; out: sent to peers.",
            "direction");
        _packetLoss = f.CreateGauge("webrtc_packet_loss_rate",
            "Packet loss 0..1. direction=publish: lost/expected over published streams (SFU-measured); subscribe: mean fraction lost reported by subscribers' RRs.",
            "direction");
        _jitter = f.CreateGauge("webrtc_jitter_ms",
            "Mean interarrival jitter, ms. direction=publish: measured on published streams; subscribe: reported by subscribers' RRs.",
            "direction");
        _forwardingLatency = f.CreateHistogram("sfu_forwarding_latency_seconds",
            "Time from a packet's arrival on the UDP port to its forwarded copy leaving it (per forwarded packet).",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        _rtcpFeedback = f.CreateCounter("sfu_rtcp_feedback_received_total", "RTCP feedback received from subscribers, by type (nack, pli, fir).", "type");
        _keyframeRequests = f.CreateCounter("sfu_keyframe_requests_total",
            "Keyframe requests toward publishers: result=sent (PLI/FIR went out) or throttled (collapsed into a recent one).", "result");
        // A second name rather than a reason label on sfu_keyframe_requests_total: that one already counts by result.
        _keyframeReasons = f.CreateCounter("sfu_keyframe_request_reasons_total",
            "Keyframe requests toward publishers by reason (subscriber_request: relayed PLI/FIR; new_subscriber; layer_switch; unrecoverable_loss), before the per-track throttle.",
            "reason");
        _nacksSent = f.CreateCounter("sfu_nack_sent_total", "Generic NACK packets sent to publishers (publisher-leg loss repair).");
        _repaired = f.CreateCounter("sfu_packets_repaired_total", "Packets missing from publishers that arrived after all (retransmitted or late).");
        _repairedInTime = f.CreateCounter("sfu_packets_repaired_in_time_total",
            "Of sfu_packets_repaired_total: those that arrived before their frame was due (expected arrival + webrtc.jitter_buffer_target + RTT).");
        _unrepaired = f.CreateCounter("sfu_packets_unrepaired_total", "Packets missing from publishers that were given up on (unrecoverable).");
        _rtxRestored = f.CreateCounter("sfu_rtx_restored_total", "RTX packets (RFC 4588) from publishers restored to their original stream.");
        _fecRecovered = f.CreateCounter("sfu_fec_recovered_total", "Lost packets from publishers rebuilt by the SFU from their FlexFEC.");
        _retransmissions = f.CreateCounter("sfu_retransmissions_sent_total",
            "Packets retransmitted to subscribers answering their NACKs: kind=rtx (RFC 4588) or plain (same packet again).", "kind");
        _nackUnanswerable = f.CreateCounter("sfu_nack_unanswerable_total",
            "Sequence numbers subscribers NACKed that the retransmission buffer no longer held.");
        _nackMissingUpstream = f.CreateCounter("sfu_nack_missing_upstream_total",
            "Sequence numbers subscribers NACKed that the SFU never got from the publisher (already requested upstream; forwarded when repaired).");
        _dtlsFailures = f.CreateCounter("sfu_dtls_handshake_failures_total", "DTLS handshakes that failed.");
        _dropped = f.CreateCounter("sfu_dropped_packets_total", "Datagrams and packets dropped, by reason.", "reason");
        _graphRestarts = f.CreateCounter("sfu_graph_restarts_total", "Media graphs restarted after a failure, by direction (ingress, egress).", "direction");
        _joinsRefused = f.CreateCounter("sfu_joins_refused_total", "Joins refused by node limits, by reason (memory_total, memory_per_room).", "reason");
        _signalingSessions = f.CreateGauge("sfu_signaling_connections", "Open signaling WebSockets.");

        foreach (var reason in Enum.GetValues<DropReason>()) _dropped.WithLabels(Label(reason.ToString()));
        foreach (var direction in new[] { "in", "out" }) _bandwidth.WithLabels(direction);
        foreach (var (label, _) in KeyframeReasons) _keyframeReasons.WithLabels(label);
        foreach (var kind in new[] { "rtx", "plain" }) _retransmissions.WithLabels(kind);

        Observers = new MediaObservers
        {
            ForwardingLatency = latency => _forwardingLatency.Observe(latency.TotalSeconds),
            GraphRestarted = direction => _graphRestarts.WithLabels(direction).Inc(),
        };

        DotNetStats.Register(Registry);
        _adapters.Add(MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = f,
            // The runtime's private diagnostics meters (msquic internals) are noise for an SFU dashboard.
            InstrumentFilterPredicate = i => !i.Meter.Name.StartsWith("Private.", StringComparison.Ordinal),
        }));
        _adapters.Add(EventCounterAdapter.StartListening(new EventCounterAdapterOptions { MetricFactory = f }));
        Registry.AddBeforeCollectCallback(UpdateAsync);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Handed to the media node: called per forwarded packet and per graph restart.</summary>
    public MediaObservers Observers { get; }

    public void JoinRefused(string reason) => _joinsRefused.WithLabels(reason).Inc();

    private async Task UpdateAsync(CancellationToken ct)
    {
        _rooms.Set(_directory.RoomCount);
        _participants.Set(_directory.ParticipantCount);
        _videoTracks.Set(_directory.TrackCount("video"));
        _audioTracks.Set(_directory.TrackCount("audio"));
        _signalingSessions.Set(_gate.Sessions);

        _bandwidth.WithLabels("in").IncTo(MediaCounters.Get(MediaCounter.BytesReceived));
        _bandwidth.WithLabels("out").IncTo(MediaCounters.Get(MediaCounter.BytesSent));
        _rtcpFeedback.WithLabels("nack").IncTo(MediaCounters.Get(MediaCounter.NacksReceived));
        _rtcpFeedback.WithLabels("pli").IncTo(MediaCounters.Get(MediaCounter.PlisReceived));
        _rtcpFeedback.WithLabels("fir").IncTo(MediaCounters.Get(MediaCounter.FirsReceived));
        _keyframeRequests.WithLabels("sent").IncTo(MediaCounters.Get(MediaCounter.KeyframeRequestsSent));
        _keyframeRequests.WithLabels("throttled").IncTo(MediaCounters.Get(MediaCounter.KeyframeRequestsThrottled));
        foreach (var (label, counter) in KeyframeReasons) _keyframeReasons.WithLabels(label).IncTo(MediaCounters.Get(counter));
        _nacksSent.IncTo(MediaCounters.Get(MediaCounter.NacksSent));
        _repaired.IncTo(MediaCounters.Get(MediaCounter.PacketsRepaired));
        _repairedInTime.IncTo(MediaCounters.Get(MediaCounter.PacketsRepairedInTime));
        _unrepaired.IncTo(MediaCounters.Get(MediaCounter.PacketsUnrepaired));
        _rtxRestored.IncTo(MediaCounters.Get(MediaCounter.RtxRestored));
        _fecRecovered.IncTo(MediaCounters.Get(MediaCounter.FecRecovered));
        _retransmissions.WithLabels("rtx").IncTo(MediaCounters.Get(MediaCounter.RetransmissionsRtx));
        _retransmissions.WithLabels("plain").IncTo(MediaCounters.Get(MediaCounter.RetransmissionsPlain));
        _nackUnanswerable.IncTo(MediaCounters.Get(MediaCounter.NacksUnanswerable));
        _nackMissingUpstream.IncTo(MediaCounters.Get(MediaCounter.NacksMissingUpstream));
        _dtlsFailures.IncTo(UdpMux.DtlsFailures);
        foreach (var reason in Enum.GetValues<DropReason>())
            _dropped.WithLabels(Label(reason.ToString())).IncTo(DropCounters.Get(reason));

        var quality = MediaQuality.From(await _stats.CollectAsync(ct));
        _packetLoss.WithLabels("publish").Set(quality.PublishLossRate);
        _packetLoss.WithLabels("subscribe").Set(quality.SubscribeLossRate);
        _jitter.WithLabels("publish").Set(quality.PublishJitterMs);
        _jitter.WithLabels("subscribe").Set(quality.SubscribeJitterMs);
    }

    /// <summary>DropReason names as Prometheus label values: SrtpAuthFailed -> srtp_auth_failed.</summary>
    public static string Label(string pascal)
    {
        var chars = new System.Text.StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) chars.Append('_');
            chars.Append(char.ToLowerInvariant(pascal[i]));
        }
        return chars.ToString();
    }

    public void Dispose()
    {
        foreach (var a in _adapters) a.Dispose();
    }
}
