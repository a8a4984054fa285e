using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Bandwidth;

/// <summary>
/// The receiver half of transport-wide congestion control toward a publisher: remembers (transport-wide sequence number,
/// arrival time) of incoming packets and writes transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
/// §3.1) covering everything since the last feedback, as libwebrtc's periodic RemoteEstimatorProxy does (every 50-100 ms).
/// </summary>
/// <remarks>
/// Numbers are unwrapped here, so the 65535 wrap and reordering need nothing special: a packet that arrives late but
/// before the next feedback is reported as received with its (negative) delta; one that arrives after it was reported
/// lost is counted in <see cref="Late"/> and dropped, since feedback never goes back. Not thread-safe: call
/// <see cref="OnPacket"/> and <see cref="BuildFeedback"/> from the ingress thread, or lock around them.
/// </remarks>
public sealed class ReceiveSideFeedbackBuilder
{
    private readonly uint _senderSsrc;
    private readonly long[] _sequenceAt;
    private readonly long[] _arrivalAt;
    private readonly int _mask;
    private readonly TransportCcArrival[] _scratch;
    private readonly long[] _scratchSequence;
    private SequenceUnwrapper _unwrapper;
    private long _nextToReport = long.MinValue;
    private long _highest = long.MinValue;
    private uint _mediaSsrc;
    private byte _feedbackCount;

    /// <param name="capacity">Sequence numbers that may be pending between two feedbacks (power of two, at most 32768,
    /// since one feedback may not span half the number space).</param>
    public ReceiveSideFeedbackBuilder(uint senderSsrc, int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 15);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _senderSsrc = senderSsrc;
        _sequenceAt = new long[size];
        _arrivalAt = new long[size];
        _mask = size - 1;
        _scratch = new TransportCcArrival[size];
        _scratchSequence = new long[size];
        Array.Fill(_sequenceAt, long.MinValue);
    }

    public long Received { get; private set; }

    public long Duplicates { get; private set; }

    /// <summary>Packets that arrived after feedback had already covered their number.</summary>
    public long Late { get; private set; }

    /// <summary>Numbers dropped unreported because more than the capacity was pending (a jump or a long pause).</summary>
    public long Overflowed { get; private set; }

    public long FeedbackPacketsWritten { get; private set; }

    public bool HasPending => _highest != long.MinValue && _highest >= _nextToReport;

    public void OnPacket(ushort transportSequence, long arrivalMicros, uint mediaSsrc = 0)
    {
        var sequence = _unwrapper.Unwrap(transportSequence);
        if (_nextToReport == long.MinValue)
        {
            _nextToReport = sequence;
        }

        if (sequence < _nextToReport)
        {
            Late++;
            return;
        }

        if (sequence - _nextToReport > _mask)
        {
            var newStart = sequence - _mask;
            Overflowed += newStart - _nextToReport;
            _nextToReport = newStart;
        }

        var slot = (int)(sequence & _mask);
        if (_sequenceAt[slot] == sequence)
        {
            Duplicates++;
            return;
        }

        _sequenceAt[slot] = sequence;
        _arrivalAt[slot] = arrivalMicros;
        _highest = Math.Max(_highest, sequence);
        if (mediaSsrc != 0)
        {
            _mediaSsrc = mediaSsrc;
        }

        Received++;
    }

    /// <summary>
    /// Writes one feedback packet for what is pending (as much as fits <paramref name="dest"/>; call again while
    /// <see cref="HasPending"/>). Returns bytes written, 0 if nothing is pending, -1 if not even one packet fits.
    /// </summary>
    public int BuildFeedback(Span<byte> dest)
    {
        if (!HasPending)
        {
            return 0;
        }

        var count = 0;
        for (var sequence = _nextToReport; sequence <= _highest; sequence++)
        {
            var slot = (int)(sequence & _mask);
            if (_sequenceAt[slot] == sequence)
            {
                _scratch[count] = new TransportCcArrival((ushort)sequence, _arrivalAt[slot]);
                _scratchSequence[count] = sequence;
                count++;
            }
        }

        var written = TransportCcFeedback.Write(
            dest, _senderSsrc, _mediaSsrc, _feedbackCount, _scratch.AsSpan(0, count), out var consumed);
        if (written < 0)
        {
            return -1;
        }

        _feedbackCount++;
        FeedbackPacketsWritten++;
        _nextToReport = _scratchSequence[consumed - 1] + 1;
        return written;
    }
}
