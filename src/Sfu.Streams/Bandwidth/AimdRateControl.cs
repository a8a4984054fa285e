namespace Sfu.Streams.Bandwidth;

/// <summary>
/// The delay-based rate controller of draft-ietf-rmcat-gcc-02 §5.5: a state machine (hold, increase, decrease) driven by
/// the overuse detector. It decreases to beta × acknowledged throughput on overuse, increases multiplicatively
/// (8 %/s) far from the last known capacity and additively (about one packet per response time) near it, and never
/// runs ahead of 1.5 × what the receiver acknowledged, as libwebrtc's AimdRateControl does.
/// </summary>
public sealed class AimdRateControl
{
    public const double Beta = 0.85;
    private const double MultiplicativeIncreasePerSecond = 1.08;
    private const long MinIncreaseBps = 1_000;
    private const long MinNearMaxIncreaseBpsPerSecond = 4_000;
    private const long FrameIntervalMicros = 33_333;
    private const int MtuBytes = 1200;

    private readonly long _minBps;
    private readonly long _maxBps;
    private long _lastChangeMicros = -1;
    private long _lastDecreaseMicros = -1;

    public AimdRateControl(long startBps, long minBps, long maxBps)
    {
        _minBps = minBps;
        _maxBps = maxBps;
        CurrentBps = Math.Clamp(startBps, minBps, maxBps);
    }

    public long CurrentBps { get; private set; }

    public RateControlState State { get; private set; } = RateControlState.Hold;

    public LinkCapacityEstimator LinkCapacity { get; } = new();

    /// <summary>Round-trip time used for the additive increase step and the minimum gap between decreases.</summary>
    public long RttMicros { get; set; } = 200_000;

    /// <summary>Whether another decrease is due: once per RTT (10-200 ms), or at once if throughput fell below half.</summary>
    public bool TimeToReduceFurther(long nowMicros, long ackedBps)
    {
        var interval = Math.Clamp(RttMicros, 10_000, 200_000);
        if (_lastChangeMicros < 0 || nowMicros - _lastChangeMicros >= interval)
        {
            return true;
        }

        return ackedBps > 0 && CurrentBps / 2 > ackedBps;
    }

    /// <summary>Applies one detector verdict; <paramref name="ackedBps"/> is 0 when throughput is not known yet.</summary>
    public long Update(BandwidthUsage usage, long ackedBps, long nowMicros)
    {
        State = (usage, State) switch
        {
            (BandwidthUsage.Normal, RateControlState.Hold) => RateControlState.Increase,
            (BandwidthUsage.Normal, var same) => same,
            (BandwidthUsage.Overusing, _) => RateControlState.Decrease,
            _ => RateControlState.Hold,
        };

        var next = CurrentBps;
        switch (State)
        {
            case RateControlState.Increase:
                if (ackedBps > LinkCapacity.UpperBoundBps)
                {
                    LinkCapacity.Reset();
                }

                var elapsed = _lastChangeMicros < 0 ? 0 : nowMicros - _lastChangeMicros;
                var increase = LinkCapacity.HasEstimate ? AdditiveIncrease(elapsed) : MultiplicativeIncrease(elapsed);
                var limit = ackedBps > 0 ? (long)(1.5 * ackedBps) + 10_000 : long.MaxValue;
                if (CurrentBps < limit)
                {
                    next = Math.Min(CurrentBps + increase, limit);
                }

                _lastChangeMicros = nowMicros;
                break;

            case RateControlState.Decrease:
                if (ackedBps > 0)
                {
                    var decreased = (long)(Beta * ackedBps);
                    if (decreased > CurrentBps && LinkCapacity.HasEstimate)
                    {
                        decreased = (long)(Beta * LinkCapacity.EstimateBps);
                    }

                    if (decreased < CurrentBps)
                    {
                        next = decreased;
                    }

                    LinkCapacity.OnOveruseDetected(ackedBps);
                }
                else
                {
                    next = (long)(Beta * CurrentBps);
                }

                State = RateControlState.Hold;
                _lastChangeMicros = nowMicros;
                _lastDecreaseMicros = nowMicros;
                break;

            default:
                _lastChangeMicros = _lastChangeMicros < 0 ? nowMicros : _lastChangeMicros;
                break;
        }

        CurrentBps = Math.Clamp(next, _minBps, _maxBps);
        return CurrentBps;
    }

    /// <summary>Takes a rate measured by a probe (or set by the application) as the new estimate.</summary>
    public void SetEstimate(long bps, long nowMicros)
    {
        CurrentBps = Math.Clamp(bps, _minBps, _maxBps);
        LinkCapacity.OnProbeRate(bps);
        _lastChangeMicros = nowMicros;
    }

    /// <summary>Microseconds since the last decrease, or -1 if there was none.</summary>
    public long SinceLastDecrease(long nowMicros) => _lastDecreaseMicros < 0 ? -1 : nowMicros - _lastDecreaseMicros;

    private long MultiplicativeIncrease(long elapsedMicros)
    {
        var seconds = Math.Min(elapsedMicros / 1e6, 1.0);
        var factor = Math.Pow(MultiplicativeIncreasePerSecond, seconds) - 1;
        return Math.Max((long)(CurrentBps * factor), MinIncreaseBps);
    }

    private long AdditiveIncrease(long elapsedMicros)
    {
        // One average packet per response time (RTT + 100 ms), with packets of a 30 fps stream at the current rate.
        var bitsPerFrame = CurrentBps * FrameIntervalMicros / 1e6;
        var packetsPerFrame = Math.Ceiling(bitsPerFrame / (MtuBytes * 8));
        var bitsPerPacket = bitsPerFrame / Math.Max(packetsPerFrame, 1);
        var responseSeconds = (RttMicros + 100_000) / 1e6;
        var ratePerSecond = Math.Max(bitsPerPacket / responseSeconds, MinNearMaxIncreaseBpsPerSecond);
        return Math.Max((long)(ratePerSecond * elapsedMicros / 1e6), 0);
    }
}
