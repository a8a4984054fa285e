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
    /// A protected packet did not go to the subscriber (lost before the SFU, or before its first keyframe), the
    /// protected packets do not map onto its numbering with one offset (probe padding went out between them), or one
    /// is no longer held to correct the XOR: forwarded, the FEC would repair into a wrong packet.
    /// </summary>
    public long DroppedUnmappable;
}
