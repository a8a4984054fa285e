namespace Sfu.WebRtc.Negotiation;

/// <summary>
/// One m-section of a subscriber connection: a forwarded track (or a retired slot, Active = false).
/// Its mid, SSRC and payload types are ours; the msid is "publisherParticipantId trackId" so the client can map
/// a received track to the participant who publishes it. <paramref name="RtxSsrc"/>, for video, offers
/// retransmissions on their own SSRC (RFC 4588, ssrc-group FID); null offers plain retransmission only.
/// </summary>
public sealed record SubscriberSection(string Mid, string Kind, string StreamId, string TrackId, uint Ssrc, NegotiatedCodec Codec, bool Active, uint? RtxSsrc = null)
{
    /// <summary>Offer red (RFC 2198) beside the codec: the publisher sends RED, forwarded as is if the subscriber keeps it.</summary>
    public bool Red { get; init; }

    /// <summary>
    /// Offer flexfec-03 on this SSRC (FEC-FR group with <see cref="Ssrc"/>): the publisher's FEC packets are forwarded
    /// with their protected SSRC and sequence numbers rewritten to this section's; null offers no FEC.
    /// </summary>
    public uint? FecSsrc { get; init; }
}
