namespace Sfu.Streams.Bandwidth;

/// <summary>
/// The loss-based controller of draft-ietf-rmcat-gcc-02 §6: over each batch of at least 20 reported packets, loss above
/// 10 % cuts the rate by (1 - 0.5 × loss), and at least to the acknowledged rate, at most once per (300 ms + RTT); loss below 2 % lets it grow 8 % per second;
/// in between it holds. The caller caps it with the delay-based estimate, as libwebrtc does.
/// </summary>
public sealed class LossBasedController
{
    public const double LowLoss = 0.02;
    public const double HighLoss = 0.10;
    /// <summary>
    /// Loss at which a decrease also drops to the acknowledged rate: a policer or a saturated link loses this much or
    /// more. Random loss of a few percent crosses <see cref="HighLoss"/> in an unlucky 20-packet batch now and then;
    /// dropping to the acknowledged rate then (just under what the tracks send) made the allocator pause a
    /// subscriber's only video at 5 % random loss.
    /// </summary>
    public const double CongestionLoss = 0.20;
    private const int MinPacketsPerUpdate = 20;
    private const double IncreasePerSecond = 1.08;
    private const long DecreaseIntervalMicros = 300_000;

    private readonly long _minBps;
    private readonly long _maxBps;
    private int _expected;
    private int _lost;
    private long _lastUpdateMicros = -1;
    private long _lastDecreaseMicros = -1;

    public LossBasedController(long startBps, long minBps, long maxBps)
    {
        _minBps = minBps;
        _maxBps = maxBps;
        CurrentBps = Math.Clamp(startBps, minBps, maxBps);
    }

    public long CurrentBps { get; private set; }

    /// <summary>Loss ratio of the last complete batch.</summary>
    public double LossRatio { get; private set; }

    public long RttMicros { get; set; } = 200_000;

    /// <summary>Counts a feedback's packets; returns true when a batch completed and the rate was re-evaluated.</summary>
    /// <param name="acknowledgedBps">What the receiver acknowledged lately (0: unknown). A decrease goes no higher than
    /// it, as libwebrtc's LossBasedBweV2 bounds a loss-limited estimate by the acknowledged rate: against a policer far
    /// below the rate (3 Mbps into 300 kbps) the (1 - 0.5 × loss) steps alone needed three decreases, ~1.5 s, to get
    /// there, while every packet over the policer's rate was lost.</param>
    public bool OnPackets(int expected, int lost, long nowMicros, long ceilingBps, long acknowledgedBps = 0)
    {
        _expected += expected;
        _lost += lost;
        if (_expected < MinPacketsPerUpdate)
        {
            return false;
        }

        LossRatio = (double)_lost / _expected;
        _expected = 0;
        _lost = 0;
        var elapsed = _lastUpdateMicros < 0 ? 0 : nowMicros - _lastUpdateMicros;
        _lastUpdateMicros = nowMicros;

        var next = CurrentBps;
        if (LossRatio < LowLoss)
        {
            next = (long)(CurrentBps * Math.Pow(IncreasePerSecond, Math.Min(elapsed / 1e6, 1.0))) + 1000;
        }
        else if (LossRatio > HighLoss
                 && (_lastDecreaseMicros < 0 || nowMicros - _lastDecreaseMicros >= DecreaseIntervalMicros + RttMicros))
        {
            next = (long)(CurrentBps * (1 - 0.5 * LossRatio));
            if (acknowledgedBps > 0 && LossRatio > CongestionLoss) next = Math.Min(next, acknowledgedBps);
            _lastDecreaseMicros = nowMicros;
        }

        CurrentBps = Math.Clamp(Math.Min(next, Math.Max(ceilingBps, _minBps)), _minBps, _maxBps);
        return true;
    }

    /// <summary>Takes a probed rate as the new loss-based rate (libwebrtc's SetSendBitrate after a probe).</summary>
    public void SetEstimate(long bps) => CurrentBps = Math.Clamp(bps, _minBps, _maxBps);
}
