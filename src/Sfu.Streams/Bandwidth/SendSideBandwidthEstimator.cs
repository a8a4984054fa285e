using Sfu.WebRtc.Rtcp;

namespace Sfu.Streams.Bandwidth;

/// <summary>
/// Google Congestion Control on the sender side (draft-ietf-rmcat-gcc-02 with transport-wide feedback, as libwebrtc's
/// goog_cc runs it) for one subscriber connection: transport-cc feedback joined with <see cref="TransportWideSequencer"/>
/// records -> 5 ms packet groups -> delay gradients -> trendline slope -> overuse detector with adaptive threshold ->
/// AIMD rate; a loss-based rate beside it; probe results lift both. The estimate is the smaller of the two, in
/// [<see cref="BandwidthEstimatorSettings.MinBps"/>, <see cref="BandwidthEstimatorSettings.MaxBps"/>].
/// </summary>
/// <remarks>
/// Not thread-safe: feed it from one thread (the one reading the subscriber's RTCP). <see cref="EstimateBps"/> may be
/// read from any thread. Nothing is allocated per packet or per feedback.
/// </remarks>
public sealed class SendSideBandwidthEstimator
{
    private const int FeedbackBatch = 512;
    private const long ReferenceTimeWrapUnits = 1 << 24;

    private static readonly string[] StateNames = BuildStateNames();

    private readonly TransportWideSequencer _sequencer;
    private readonly PacketGroupDelta _groups = new();
    private readonly TrendlineEstimator _trendline = new();
    private readonly OveruseDetector _detector = new();
    private readonly AimdRateControl _rate;
    private readonly LossBasedController _loss;
    private readonly AcknowledgedBitrate _acked;
    private readonly ProbeBitrateEstimator _probeRates = new();
    private readonly PacketFeedback[] _batch = new PacketFeedback[FeedbackBatch];
    private long _estimateBps;
    private long _highestProcessed = long.MinValue;
    private long _smoothedRttMicros = -1;
    private int _lastReferenceTime = -1;
    private long _referenceUnits;

    public SendSideBandwidthEstimator(TransportWideSequencer sequencer, BandwidthEstimatorSettings? settings = null)
    {
        _sequencer = sequencer;
        Settings = settings ?? BandwidthEstimatorSettings.Default;
        _rate = new AimdRateControl(Settings.StartBps, Settings.MinBps, Settings.MaxBps);
        _loss = new LossBasedController(Settings.StartBps, Settings.MinBps, Settings.MaxBps);
        _acked = new AcknowledgedBitrate(Settings.AcknowledgedWindowMicros);
        Probes = new ProbeController(Settings);
        _estimateBps = _rate.CurrentBps;
    }

    public BandwidthEstimatorSettings Settings { get; }

    /// <summary>When and how hard to probe; the estimator tells it every new estimate and reads its clusters back.</summary>
    public ProbeController Probes { get; }

    /// <summary>Target send rate for the whole connection, bits per second.</summary>
    public long EstimateBps => Volatile.Read(ref _estimateBps);

    public long DelayBasedBps => _rate.CurrentBps;

    public long LossBasedBps => _loss.CurrentBps;

    public long AcknowledgedBps => _acked.Bps;

    /// <summary>Loss over the last batch of at least 20 reported packets.</summary>
    public double LossRatio => _loss.LossRatio;

    /// <summary>Feedback round trip (send to feedback arrival, smoothed), or -1 before the first.</summary>
    public long RttMicros => _smoothedRttMicros;

    public BandwidthUsage Usage => _detector.State;

    public RateControlState RateState => _rate.State;

    /// <summary>For stats: the detector's verdict, the rate controller's state, and whether loss is what limits.</summary>
    public string State => StateNames[((int)_detector.State * 3 + (int)_rate.State) * 2 + (_loss.CurrentBps < _rate.CurrentBps ? 1 : 0)];

    public long FeedbackPackets { get; private set; }

    /// <summary>Statuses for numbers the sequencer no longer (or never) knew.</summary>
    public long UnknownPackets { get; private set; }

    public BandwidthEstimateStats Snapshot() => new(
        EstimateBps, DelayBasedBps, LossBasedBps, AcknowledgedBps, LossRatio, RttMicros, State,
        _detector.ThresholdMs, _trendline.Slope, Probes.ClustersCreated);

    /// <summary>Feeds one transport-cc feedback as parsed from the wire.</summary>
    public void OnTransportCcFeedback(in TransportCcFeedback feedback, long nowMicros)
    {
        // The 24-bit reference time wraps every ~12 days; extend it so arrival times stay monotonic across feedbacks.
        var reference = feedback.ReferenceTime;
        if (_lastReferenceTime < 0)
        {
            _referenceUnits = reference;
        }
        else
        {
            var step = (reference - _lastReferenceTime) & (ReferenceTimeWrapUnits - 1);
            _referenceUnits += step >= ReferenceTimeWrapUnits / 2 ? step - ReferenceTimeWrapUnits : step;
        }

        _lastReferenceTime = reference;
        var offset = _referenceUnits * TransportCcFeedback.MicrosecondsPerReferenceUnit - feedback.ReferenceTimeMicros;

        var count = 0;
        var received = false;
        foreach (var status in feedback)
        {
            received |= status.Received;
            _batch[count++] = new PacketFeedback(
                status.SequenceNumber, status.Received, status.HasDelta ? status.ReceiveTimeMicros + offset : 0);
            if (count == _batch.Length)
            {
                OnFeedback(_batch, nowMicros);
                count = 0;
            }
        }

        if (count > 0)
        {
            OnFeedback(_batch.AsSpan(0, count), nowMicros);
        }
    }

    /// <summary>Feeds feedback results in sequence order; arrival times are on the receiver's clock.</summary>
    public void OnFeedback(ReadOnlySpan<PacketFeedback> feedback, long nowMicros)
    {
        FeedbackPackets += feedback.Length;
        var expected = 0;
        var lost = 0;
        var highest = _highestProcessed;
        var latestSend = long.MinValue;
        long probeBps = 0;
        foreach (var result in feedback)
        {
            if (!_sequencer.TryGet(result.SequenceNumber, out var sent))
            {
                UnknownPackets++;
                continue;
            }

            if (sent.Sequence <= _highestProcessed)
            {
                continue;
            }

            highest = Math.Max(highest, sent.Sequence);
            expected++;
            if (!result.Received)
            {
                lost++;
                continue;
            }

            latestSend = Math.Max(latestSend, sent.SendMicros);
            _acked.Add(result.ArrivalMicros, sent.Size);
            if (_groups.Add(sent.SendMicros, result.ArrivalMicros, sent.Size, out var delta))
            {
                var slope = _trendline.Update(delta);
                _detector.Detect(slope, delta.SendDeltaMicros, _trendline.DeltaCount, delta.ArrivalMicros);
            }

            if (sent.ProbeClusterId >= 0 && Probes.TryGetCluster(sent.ProbeClusterId, out var cluster))
            {
                var measured = _probeRates.Add(cluster, sent.SendMicros, result.ArrivalMicros, sent.Size);
                probeBps = Math.Max(probeBps, measured);
            }
        }

        _highestProcessed = highest;
        if (expected == 0)
        {
            return;
        }

        if (latestSend != long.MinValue)
        {
            var sample = Math.Max(nowMicros - latestSend, 0);
            _smoothedRttMicros = _smoothedRttMicros < 0 ? sample : (7 * _smoothedRttMicros + sample) / 8;
            _rate.RttMicros = _smoothedRttMicros;
            _loss.RttMicros = _smoothedRttMicros;
        }

        var acked = _acked.Bps;
        if (_detector.State == BandwidthUsage.Overusing)
        {
            if (_rate.TimeToReduceFurther(nowMicros, acked))
            {
                _rate.Update(BandwidthUsage.Overusing, acked, nowMicros);
            }
        }
        else if (probeBps > _rate.CurrentBps)
        {
            _rate.SetEstimate(probeBps, nowMicros);
        }
        else
        {
            _rate.Update(_detector.State, acked, nowMicros);
        }

        _loss.OnPackets(expected, lost, nowMicros, _rate.CurrentBps, acked);
        if (probeBps > _loss.CurrentBps && _detector.State != BandwidthUsage.Overusing)
        {
            _loss.SetEstimate(Math.Min(probeBps, _rate.CurrentBps));
        }

        var estimate = Math.Clamp(Math.Min(_rate.CurrentBps, _loss.CurrentBps), Settings.MinBps, Settings.MaxBps);
        Volatile.Write(ref _estimateBps, estimate);
        Probes.OnEstimate(estimate, nowMicros);
    }

    private static string[] BuildStateNames()
    {
        var names = new string[3 * 3 * 2];
        foreach (var usage in Enum.GetValues<BandwidthUsage>())
        {
            foreach (var rate in Enum.GetValues<RateControlState>())
            {
                var index = ((int)usage * 3 + (int)rate) * 2;
                var name = $"{usage.ToString().ToLowerInvariant()}/{rate.ToString().ToLowerInvariant()}";
                names[index] = name;
                names[index + 1] = name + "/loss-limited";
            }
        }

        return names;
    }
}
