namespace Sfu.Streams.Bandwidth;

/// <summary>
/// Decides when to send probe clusters, after libwebrtc's ProbeController: two probes at 3× and 6× the start rate,
/// then exponential probing (2× the new estimate) as long as each result reaches 70 % of its target; later, periodic
/// probes at 2× the estimate while the estimate is below what the allocator wants or the sender is app-limited
/// (the rate controller only learns of spare capacity by using it, which an app-limited or capped sender never does).
/// </summary>
/// <remarks>Thread-safe: the sending loop takes clusters while the feedback thread reports estimates.</remarks>
public sealed class ProbeController
{
    private const int PendingCapacity = 4;
    private const int RecentCapacity = 8;

    private readonly BandwidthEstimatorSettings _settings;
    private readonly Lock _gate = new();
    private readonly ProbeCluster[] _pending = new ProbeCluster[PendingCapacity];
    private readonly ProbeCluster[] _recent = new ProbeCluster[RecentCapacity];
    private int _pendingCount;
    private int _nextId;
    private long _minBitrateToProbeFurther;
    private long _lastProbeMicros = -1;
    private long _estimateBps;
    private long _estimateAtLastProbe;
    private long _periodicIntervalMicros;
    private bool _periodicProbeSucceeded;
    private bool _periodicInFlight;

    public ProbeController(BandwidthEstimatorSettings settings)
    {
        _settings = settings;
        _estimateBps = settings.StartBps;
        _periodicIntervalMicros = settings.PeriodicProbeIntervalMicros;
        for (var i = 0; i < _recent.Length; i++)
        {
            _recent[i] = new ProbeCluster(-1, 0, 0, 0, 0);
        }
    }

    public ProbeState State { get; private set; } = ProbeState.Init;

    /// <summary>What the caller would send if it could (sum of the layers it wants); 0 when unknown.</summary>
    public long DesiredBps { get; set; }

    /// <summary>True while the sender sends clearly less than the estimate because it has nothing more to send.</summary>
    public bool AppLimited { get; set; }

    public int ClustersCreated => _nextId;

    /// <summary>The current gap between periodic probes: it doubles after each probe that found nothing (a saturated
    /// link pays for every probe with a queue spike) up to 8× the setting, and resets when the estimate falls by 30 %+,
    /// since the capacity has changed and may come back.</summary>
    public long PeriodicIntervalMicros => _periodicIntervalMicros;

    /// <summary>Called by the estimator whenever the estimate changed.</summary>
    public void OnEstimate(long estimateBps, long nowMicros)
    {
        lock (_gate)
        {
            OnEstimateLocked(estimateBps, nowMicros);
        }
    }

    /// <summary>The next cluster to send now, if any. Call it from the sending loop (each pacing tick or batch).</summary>
    public bool TryGetNextProbe(long nowMicros, out ProbeCluster cluster)
    {
        lock (_gate)
        {
            return TryGetNextProbeLocked(nowMicros, out cluster);
        }
    }

    /// <summary>The cluster with this id, if it is among the last eight.</summary>
    public bool TryGetCluster(int id, out ProbeCluster cluster)
    {
        lock (_gate)
        {
            cluster = _recent[id & (RecentCapacity - 1)];
            return id >= 0 && cluster.Id == id;
        }
    }

    private void OnEstimateLocked(long estimateBps, long nowMicros)
    {
        _estimateBps = estimateBps;
        if (estimateBps < 0.7 * _estimateAtLastProbe)
        {
            _periodicIntervalMicros = _settings.PeriodicProbeIntervalMicros;
            _estimateAtLastProbe = estimateBps;
        }

        if (State == ProbeState.WaitingForResult && _minBitrateToProbeFurther > 0 && estimateBps > _minBitrateToProbeFurther)
        {
            _minBitrateToProbeFurther = 0;
            _periodicProbeSucceeded = true;
            Enqueue(2 * estimateBps, nowMicros, continueExponential: true);
        }
    }

    private bool TryGetNextProbeLocked(long nowMicros, out ProbeCluster cluster)
    {
        switch (State)
        {
            case ProbeState.Init:
                State = ProbeState.WaitingForResult;
                Enqueue((long)(_settings.StartBps * _settings.FirstProbeMultiplier), nowMicros, continueExponential: false);
                Enqueue((long)(_settings.StartBps * _settings.SecondProbeMultiplier), nowMicros, continueExponential: true);
                break;

            case ProbeState.WaitingForResult when _pendingCount == 0 && nowMicros - _lastProbeMicros > _settings.ProbeTimeoutMicros:
                State = ProbeState.Complete;
                _minBitrateToProbeFurther = 0;
                if (_periodicInFlight)
                {
                    _periodicInFlight = false;
                    _periodicIntervalMicros = _periodicProbeSucceeded
                        ? _settings.PeriodicProbeIntervalMicros
                        : Math.Min(2 * _periodicIntervalMicros, 8 * _settings.PeriodicProbeIntervalMicros);
                }

                break;

            case ProbeState.Complete when _settings.PeriodicProbeIntervalMicros > 0
                                          && (AppLimited || DesiredBps > _estimateBps)
                                          && nowMicros - _lastProbeMicros >= _periodicIntervalMicros:
                _periodicProbeSucceeded = false;
                _periodicInFlight = true;
                _estimateAtLastProbe = _estimateBps;
                Enqueue(2 * _estimateBps, nowMicros, continueExponential: true);
                _lastProbeMicros = nowMicros;
                break;
        }

        if (_pendingCount == 0)
        {
            cluster = default;
            return false;
        }

        cluster = _pending[0];
        Array.Copy(_pending, 1, _pending, 0, _pendingCount - 1);
        _pendingCount--;
        _lastProbeMicros = nowMicros;
        return true;
    }

    private void Enqueue(long targetBps, long nowMicros, bool continueExponential)
    {
        var cap = DesiredBps > 0 ? Math.Min(_settings.MaxBps, Math.Max(DesiredBps, _settings.StartBps)) : _settings.MaxBps;
        targetBps = Math.Min(targetBps, cap);
        if (targetBps <= _estimateBps || _pendingCount == PendingCapacity)
        {
            if (_pendingCount == 0 && State == ProbeState.WaitingForResult && continueExponential)
            {
                State = ProbeState.Complete;
            }

            return;
        }

        var minBytes = (int)Math.Min(int.MaxValue, targetBps * _settings.ProbeDurationMicros / 8_000_000);
        var cluster = new ProbeCluster(_nextId++, targetBps, _settings.ProbeMinPackets, minBytes, nowMicros);
        _pending[_pendingCount++] = cluster;
        _recent[cluster.Id & (RecentCapacity - 1)] = cluster;
        State = ProbeState.WaitingForResult;
        _minBitrateToProbeFurther = continueExponential ? (long)(targetBps * _settings.FurtherProbeThreshold) : _minBitrateToProbeFurther;
    }
}
