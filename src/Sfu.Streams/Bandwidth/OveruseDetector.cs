namespace Sfu.Streams.Bandwidth;

/// <summary>
/// Compares the delay trend with an adaptive threshold (draft-ietf-rmcat-gcc-02 §5.4 and §5.5, with libwebrtc's
/// constants). The threshold follows the trend slowly upward (k_up) and faster downward (k_down), so a flow competing
/// with loss-based TCP is not starved by a fixed threshold, while a sudden jump (a route change) does not move it.
/// </summary>
public sealed class OveruseDetector
{
    private const double ThresholdGain = 4.0;
    private const int MaxDeltasScale = 60;
    private const double KUp = 0.0087;
    private const double KDown = 0.039;
    private const double MaxAdaptOffsetMs = 15.0;
    private const double MinThresholdMs = 6.0;
    private const double MaxThresholdMs = 600.0;
    private const double OverusingTimeThresholdMs = 10.0;
    private const double MaxThresholdUpdateMs = 100.0;

    private double _timeOverUsingMs = -1;
    private int _overuseCount;
    private double _previousTrend;
    private long _lastThresholdUpdateMicros = -1;

    public double ThresholdMs { get; private set; } = 12.5;

    public BandwidthUsage State { get; private set; } = BandwidthUsage.Normal;

    /// <summary>The trend as compared with the threshold: slope × min(deltas, 60) × 4.</summary>
    public double ModifiedTrend { get; private set; }

    public BandwidthUsage Detect(double trend, long sendDeltaMicros, int deltaCount, long nowMicros)
    {
        if (deltaCount < 2)
        {
            return State = BandwidthUsage.Normal;
        }

        var modified = Math.Min(deltaCount, MaxDeltasScale) * trend * ThresholdGain;
        ModifiedTrend = modified;
        if (modified > ThresholdMs)
        {
            var sendDeltaMs = sendDeltaMicros / 1000.0;
            // §5.4: overuse only after it lasted overuse_time_th and not while the trend is already falling again.
            _timeOverUsingMs = _timeOverUsingMs < 0 ? sendDeltaMs / 2 : _timeOverUsingMs + sendDeltaMs;
            _overuseCount++;
            if (_timeOverUsingMs > OverusingTimeThresholdMs && _overuseCount > 1 && trend >= _previousTrend)
            {
                _timeOverUsingMs = 0;
                _overuseCount = 0;
                State = BandwidthUsage.Overusing;
            }
        }
        else if (modified < -ThresholdMs)
        {
            _timeOverUsingMs = -1;
            _overuseCount = 0;
            State = BandwidthUsage.Underusing;
        }
        else
        {
            _timeOverUsingMs = -1;
            _overuseCount = 0;
            State = BandwidthUsage.Normal;
        }

        _previousTrend = trend;
        UpdateThreshold(modified, nowMicros);
        return State;
    }

    public void Reset()
    {
        _timeOverUsingMs = -1;
        _overuseCount = 0;
        _previousTrend = 0;
        _lastThresholdUpdateMicros = -1;
        ThresholdMs = 12.5;
        ModifiedTrend = 0;
        State = BandwidthUsage.Normal;
    }

    private void UpdateThreshold(double modified, long nowMicros)
    {
        if (_lastThresholdUpdateMicros < 0)
        {
            _lastThresholdUpdateMicros = nowMicros;
        }

        var magnitude = Math.Abs(modified);
        if (magnitude > ThresholdMs + MaxAdaptOffsetMs)
        {
            // §5.5: a spike far above the threshold is not something to adapt to.
            _lastThresholdUpdateMicros = nowMicros;
            return;
        }

        var k = magnitude < ThresholdMs ? KDown : KUp;
        var elapsedMs = Math.Min((nowMicros - _lastThresholdUpdateMicros) / 1000.0, MaxThresholdUpdateMs);
        ThresholdMs = Math.Clamp(ThresholdMs + k * (magnitude - ThresholdMs) * elapsedMs, MinThresholdMs, MaxThresholdMs);
        _lastThresholdUpdateMicros = nowMicros;
    }
}
