using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Bandwidth;

/// <summary>
/// Receive-side estimate for publishers that only understand REMB (draft-alvestrand-rmcat-remb-03): the same delay
/// pipeline as the send side (5 ms groups, trendline, adaptive threshold, AIMD), run at the receiver from abs-send-time
/// and arrival times, decreasing from the incoming throughput (draft-ietf-rmcat-gcc-02 §5 in its original receive-side
/// form). Send <see cref="EstimateBps"/> with <c>Remb.Write</c> about once a second, or at once when it falls by 3 %+.
/// </summary>
public sealed class RembEstimator
{
    private const long AbsSendTimeWrap = 1 << 24;
    private const long UpdateIntervalMicros = 50_000;

    private readonly PacketGroupDelta _groups = new();
    private readonly TrendlineEstimator _trendline = new();
    private readonly OveruseDetector _detector = new();
    private readonly AcknowledgedBitrate _incoming = new();
    private readonly AimdRateControl _rate;
    private long _lastAbsSendTime = -1;
    private long _sendUnits;
    private long _lastUpdateMicros;
    private bool _updated;

    public RembEstimator(long startBps = 300_000, long minBps = 30_000, long maxBps = 20_000_000)
    {
        _rate = new AimdRateControl(startBps, minBps, maxBps);
    }

    public long EstimateBps => _rate.CurrentBps;

    public long IncomingBps => _incoming.Bps;

    public BandwidthUsage Usage => _detector.State;

    /// <summary>Round trip toward the publisher if known (from its RTCP); it sets the additive increase step.</summary>
    public long RttMicros
    {
        get => _rate.RttMicros;
        set => _rate.RttMicros = value;
    }

    /// <summary>One incoming packet; <paramref name="absSendTime24"/> is the abs-send-time header extension value.</summary>
    public void OnPacket(long arrivalMicros, uint absSendTime24, int size)
    {
        var step = _lastAbsSendTime < 0 ? 0 : ((long)absSendTime24 - _lastAbsSendTime) & (AbsSendTimeWrap - 1);
        _sendUnits += step >= AbsSendTimeWrap / 2 ? step - AbsSendTimeWrap : step;
        _lastAbsSendTime = absSendTime24;

        // 6.18 fixed-point seconds: 2^18 units per second.
        var sendMicros = _sendUnits * 1_000_000 >> 18;
        _incoming.Add(arrivalMicros, size);
        var previous = _detector.State;
        if (_groups.Add(sendMicros, arrivalMicros, size, out var delta))
        {
            var slope = _trendline.Update(delta);
            _detector.Detect(slope, delta.SendDeltaMicros, _trendline.DeltaCount, delta.ArrivalMicros);
        }

        var overuseStarted = _detector.State == BandwidthUsage.Overusing && previous != BandwidthUsage.Overusing;
        if (overuseStarted || !_updated || arrivalMicros - _lastUpdateMicros >= UpdateIntervalMicros)
        {
            var incoming = _incoming.Bps;
            if (_detector.State != BandwidthUsage.Overusing || _rate.TimeToReduceFurther(arrivalMicros, incoming))
            {
                _rate.Update(_detector.State, incoming, arrivalMicros);
            }

            _lastUpdateMicros = arrivalMicros;
            _updated = true;
        }
    }
}
