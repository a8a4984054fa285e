namespace Sfu.Streams.Bandwidth;

/// <summary>
/// Estimates how fast one-way delay grows: accumulates the group delay gradients, smooths them exponentially, and fits a
/// least-squares line over the last <see cref="WindowSize"/> points (libwebrtc's TrendlineEstimator, which replaced the
/// Kalman filter of draft-ietf-rmcat-gcc-02 §5.3). The slope is in ms of delay per ms of time: 0 when the queue is
/// steady, positive when it builds.
/// </summary>
public sealed class TrendlineEstimator
{
    public const int DefaultWindowSize = 20;
    public const double DefaultSmoothing = 0.9;

    private readonly double _smoothing;
    private readonly double[] _x;
    private readonly double[] _y;
    private int _count;
    private int _head;
    private long _firstArrivalMicros = -1;
    private double _accumulatedMs;
    private double _smoothedMs;

    public TrendlineEstimator(int windowSize = DefaultWindowSize, double smoothing = DefaultSmoothing)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 2);
        WindowSize = windowSize;
        _smoothing = smoothing;
        _x = new double[windowSize];
        _y = new double[windowSize];
    }

    public int WindowSize { get; }

    /// <summary>Deltas seen so far (the detector scales the slope with it, up to 60, to trust early slopes less).</summary>
    public int DeltaCount { get; private set; }

    /// <summary>The latest slope; it keeps its last value until the window is full.</summary>
    public double Slope { get; private set; }

    /// <summary>Adds one group delta and returns the current slope.</summary>
    public double Update(in GroupDelta delta)
    {
        var gradientMs = delta.DelayGradientMicros / 1000.0;
        DeltaCount = Math.Min(DeltaCount + 1, 1000);
        if (_firstArrivalMicros < 0)
        {
            _firstArrivalMicros = delta.ArrivalMicros;
        }

        _accumulatedMs += gradientMs;
        _smoothedMs = _smoothing * _smoothedMs + (1 - _smoothing) * _accumulatedMs;

        _x[_head] = (delta.ArrivalMicros - _firstArrivalMicros) / 1000.0;
        _y[_head] = _smoothedMs;
        _head = (_head + 1) % WindowSize;
        _count = Math.Min(_count + 1, WindowSize);
        if (_count == WindowSize && TryFitSlope(out var slope))
        {
            Slope = slope;
        }

        return Slope;
    }

    public void Reset()
    {
        _count = 0;
        _head = 0;
        _firstArrivalMicros = -1;
        _accumulatedMs = 0;
        _smoothedMs = 0;
        DeltaCount = 0;
        Slope = 0;
    }

    private bool TryFitSlope(out double slope)
    {
        double sumX = 0, sumY = 0;
        for (var i = 0; i < _count; i++)
        {
            sumX += _x[i];
            sumY += _y[i];
        }

        var meanX = sumX / _count;
        var meanY = sumY / _count;
        double numerator = 0, denominator = 0;
        for (var i = 0; i < _count; i++)
        {
            var dx = _x[i] - meanX;
            numerator += dx * (_y[i] - meanY);
            denominator += dx * dx;
        }

        if (denominator == 0)
        {
            slope = 0;
            return false;
        }

        slope = numerator / denominator;
        return true;
    }
}
