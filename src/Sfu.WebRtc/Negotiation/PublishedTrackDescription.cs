namespace Sfu.WebRtc.Negotiation;

/// <summary>A track a publisher sends, as its offer describes it (one m-section).</summary>
/// <param name="Ssrcs">Media SSRCs announced with a=ssrc (several with SSRC-group SIM); empty when the browser relies on mid/rid.</param>
/// <param name="RtxSsrcs">Media SSRC to its RTX SSRC (ssrc-group FID).</param>
/// <param name="ExtensionIds">Header extension URI to the id the publisher uses.</param>
public sealed record PublishedTrackDescription(
    string Mid,
    string Kind,
    string StreamId,
    string TrackId,
    IReadOnlyList<uint> Ssrcs,
    IReadOnlyDictionary<uint, uint> RtxSsrcs,
    IReadOnlyList<NegotiatedCodec> Codecs,
    IReadOnlyDictionary<string, int> ExtensionIds,
    IReadOnlyList<string> Rids)
{
    public bool IsVideo => Kind == "video";

    /// <summary>The red codec (RFC 2198) answered beside Opus, with the publisher's payload type; null when not negotiated.</summary>
    public NegotiatedCodec? Red { get; init; }

    /// <summary>The flexfec-03 codec answered for this (single-stream video) track, with the publisher's payload type; null when not negotiated.</summary>
    public NegotiatedCodec? FlexFec { get; init; }

    /// <summary>The SSRC the publisher sends FlexFEC on (second SSRC of its FEC-FR group); null without FlexFEC.</summary>
    public uint? FecSsrc { get; init; }
}
