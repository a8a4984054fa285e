namespace Sfu.Streams.Bandwidth;

/// <summary>
/// Remembers the throughput seen when the link last became congested, with its spread (a running mean and a variance
/// normalised by the mean, in kbps as libwebrtc keeps them). Near that capacity the rate controller increases
/// additively; once throughput leaves the band upward the capacity is forgotten and the increase is multiplicative again
/// (draft-ietf-rmcat-gcc-02 §5.5, "close to convergence").
/// </summary>
public sealed class LinkCapacityEstimator
{
    private double _estimateKbps = -1;
    private double _deviationKbps = 0.4;

    public bool HasEstimate => _estimateKbps >= 0;

    public long EstimateBps => HasEstimate ? (long)(_estimateKbps * 1000) : 0;

    public long UpperBoundBps => HasEstimate ? (long)((_estimateKbps + 3 * DeviationKbps) * 1000) : long.MaxValue;

    public long LowerBoundBps => HasEstimate ? (long)(Math.Max(0, _estimateKbps - 3 * DeviationKbps) * 1000) : 0;

    private double DeviationKbps => Math.Sqrt(_deviationKbps * _estimateKbps);

    public void OnOveruseDetected(long ackedBps) => Update(ackedBps, 0.05);

    public void OnProbeRate(long probeBps) => Update(probeBps, 0.5);

    public void Reset() => _estimateKbps = -1;

    private void Update(long sampleBps, double alpha)
    {
        var sampleKbps = sampleBps / 1000.0;
        _estimateKbps = HasEstimate ? (1 - alpha) * _estimateKbps + alpha * sampleKbps : sampleKbps;
        var norm = Math.Max(_estimateKbps, 1.0);
        var error = _estimateKbps - sampleKbps;
        _deviationKbps = Math.Clamp((1 - alpha) * _deviationKbps + alpha * error * error / norm, 0.4, 2.5);
    }
}
