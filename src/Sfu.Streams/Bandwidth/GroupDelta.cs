namespace Sfu.Streams.Bandwidth;

/// <summary>Differences between two consecutive packet groups, and when the later one completed (receiver clock).</summary>
public readonly record struct GroupDelta(long SendDeltaMicros, long ArrivalDeltaMicros, long ArrivalMicros, long Size)
{
    /// <summary>d(i) of draft-ietf-rmcat-gcc-02 §5.3: positive when the queue grew between the groups.</summary>
    public long DelayGradientMicros => ArrivalDeltaMicros - SendDeltaMicros;
}
