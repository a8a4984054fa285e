namespace Sfu.Streams.Redundancy;

/// <summary>Video FEC (flexfec-03) packets of one published track: received, forwarded, and dropped with why.</summary>
public sealed class FecCounters
{
    public long Received;
    public long Forwarded;
    /// <summary>Subscribers that did not negotiate FEC: the packet is dropped for them and NACK repairs their loss.</summary>
    public long DroppedNotNegotiated;
    /// <summary>Malformed headers, or protecting another SSRC than the track's.</summary>
    public long DroppedInvalid;
    /// <summary>
    /// The protected packets do not map onto the subscriber's numbering with one offset (padding was inserted between
    /// them), or a forwarded one is no longer held to correct the XOR: the FEC would repair into a wrong packet.
    /// </summary>
    public long DroppedUnmappable;
}
