namespace Sfu.Streams.Forwarding;

/// <summary>
/// What a receiver reports about one incoming RTP stream (RFC 3550 §6.4.1, Appendix A.3 and A.8): highest
/// sequence number, cumulative and fractional loss, interarrival jitter. Fed with extended sequence numbers.
/// </summary>
public sealed class ReceiveStatistics(int clockRate)
{
    private long _baseSeq = -1;
    private long _maxSeq = -1;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _lastTransit = long.MinValue;
    private double _jitter;

    public long Received => _received;
    public long HighestSequence => _maxSeq;
    public long Expected => _maxSeq < 0 ? 0 : _maxSeq - _baseSeq + 1;
    public long Lost => Math.Max(0, Expected - _received);
    /// <summary>Interarrival jitter in timestamp units.</summary>
    public double Jitter => _jitter;
    public double JitterMs => clockRate > 0 ? _jitter * 1000.0 / clockRate : 0;
    public byte LastFractionLost { get; private set; }

    /// <summary>LSR and the arrival time of the publisher's last SR, for DLSR.</summary>
    public uint LastSenderReport { get; private set; }
    public long LastSenderReportArrival { get; private set; } = long.MinValue;

    public void OnPacket(long extendedSequence, uint rtpTimestamp, long arrivalMicroseconds)
    {
        if (_baseSeq < 0) _baseSeq = extendedSequence;
        if (extendedSequence > _maxSeq) _maxSeq = extendedSequence;
        _received++;
        var arrivalUnits = arrivalMicroseconds * clockRate / 1_000_000;
        var transit = arrivalUnits - rtpTimestamp;
        if (_lastTransit != long.MinValue)
        {
            // Differences of 32-bit timestamps must wrap like the timestamps do.
            var d = (int)(uint)(transit - _lastTransit);
            _jitter += (Math.Abs(d) - _jitter) / 16.0;
        }
        _lastTransit = transit;
    }

    public void OnSenderReport(ulong ntp, long arrivalTimestamp)
    {
        LastSenderReport = NtpTime.Middle32(ntp);
        LastSenderReportArrival = arrivalTimestamp;
    }

    /// <summary>Fraction lost since the previous call (8-bit fixed point), and advances the interval.</summary>
    public byte NextFractionLost()
    {
        var expected = Expected;
        var expectedInterval = expected - _expectedPrior;
        var receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        var lostInterval = expectedInterval - receivedInterval;
        LastFractionLost = expectedInterval <= 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
        return LastFractionLost;
    }
}
