namespace Sfu.Streams.Bandwidth;

/// <summary>
/// Splits packets into groups sent within a burst (draft-ietf-rmcat-gcc-02 §5.2: 5 ms) and yields, per completed group,
/// the send and arrival time differences to the group before it. The delay gradient is their difference.
/// </summary>
/// <remarks>
/// Packets must come in send order. A packet sent before the current group started is reordered and skipped, as
/// libwebrtc's InterArrival does. A packet that arrives within 5 ms of the group's last while the path delay shrinks
/// joins the group (§5.2: bursts released by a queue arrive together and say nothing about the queue growing).
/// </remarks>
public sealed class PacketGroupDelta
{
    public const long BurstMicros = 5_000;
    private const long MaxBurstSpanMicros = 100_000;

    private Group _current;
    private Group _previous;

    /// <summary>Groups skipped because arrival time went backwards (a receiver clock jump): the state starts over.</summary>
    public int Resets { get; private set; }

    /// <summary>Adds a packet; true when it completed a group, with the deltas between the last two complete groups.</summary>
    public bool Add(long sendMicros, long arrivalMicros, int size, out GroupDelta delta)
    {
        delta = default;
        if (!_current.Started)
        {
            _current = Group.Start(sendMicros, arrivalMicros, size);
            return false;
        }

        if (sendMicros < _current.FirstSendMicros)
        {
            return false;
        }

        if (BelongsToCurrent(sendMicros, arrivalMicros))
        {
            _current.Add(sendMicros, arrivalMicros, size);
            return false;
        }

        var produced = false;
        if (_previous.Started)
        {
            var sendDelta = _current.LastSendMicros - _previous.LastSendMicros;
            var arrivalDelta = _current.LastArrivalMicros - _previous.LastArrivalMicros;
            if (arrivalDelta < 0)
            {
                Resets++;
                _previous = default;
                _current = Group.Start(sendMicros, arrivalMicros, size);
                return false;
            }

            delta = new GroupDelta(sendDelta, arrivalDelta, _current.LastArrivalMicros, _current.Size);
            produced = true;
        }

        _previous = _current;
        _current = Group.Start(sendMicros, arrivalMicros, size);
        return produced;
    }

    public void Reset()
    {
        _current = default;
        _previous = default;
    }

    private bool BelongsToCurrent(long sendMicros, long arrivalMicros)
    {
        var sendSpan = sendMicros - _current.FirstSendMicros;
        if (sendSpan <= BurstMicros)
        {
            return true;
        }

        var arrivalDelta = arrivalMicros - _current.LastArrivalMicros;
        var sendDelta = sendMicros - _current.LastSendMicros;
        var propagationDelta = arrivalDelta - sendDelta;
        return propagationDelta < 0
            && arrivalDelta <= BurstMicros
            && arrivalMicros - _current.FirstArrivalMicros < MaxBurstSpanMicros;
    }

    private struct Group
    {
        public bool Started;
        public long FirstSendMicros;
        public long LastSendMicros;
        public long FirstArrivalMicros;
        public long LastArrivalMicros;
        public long Size;

        public static Group Start(long send, long arrival, int size) => new()
        {
            Started = true,
            FirstSendMicros = send,
            LastSendMicros = send,
            FirstArrivalMicros = arrival,
            LastArrivalMicros = arrival,
            Size = size,
        };

        public void Add(long send, long arrival, int size)
        {
            LastSendMicros = Math.Max(LastSendMicros, send);
            LastArrivalMicros = Math.Max(LastArrivalMicros, arrival);
            Size += size;
        }
    }
}
