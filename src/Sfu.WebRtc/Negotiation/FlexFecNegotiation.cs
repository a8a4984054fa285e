using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Negotiation;

/// <summary>
/// Video FEC as a separate stream: <c>flexfec-03</c> (libwebrtc's draft-03 FlexFEC), with the FEC SSRC tied to the
/// media SSRC by <c>a=ssrc-group:FEC-FR media fec</c> (RFC 5956 §4.3). Chromium offers it only with the field trials
/// WebRTC-FlexFEC-03-Advertised and WebRTC-FlexFEC-03 enabled, as
/// <c>a=rtpmap:49 flexfec-03/90000</c> + <c>a=fmtp:49 repair-window=10000000</c>.
/// </summary>
/// <remarks>
/// ULPFEC (<c>red</c> + <c>ulpfec</c>, RFC 5109) is not used: Chrome would then wrap every video packet in RED, and
/// the SFU reads the VP8 payload of each packet for keyframes and picture ids. A separate FEC stream leaves the
/// media stream as it is and is forwarded beside it. Simulcast tracks are not protected: each layer would need its
/// own FEC stream, and FEC packets could not follow the rewriting across layer switches.
/// </remarks>
public static class FlexFecNegotiation
{
    public const string CodecName = "flexfec-03";

    /// <summary>The payload type of flexfec-03 toward subscribers: Chrome's own, free among our fixed ones.</summary>
    public const int SubscriberPayloadType = 49;

    /// <summary>libwebrtc's repair window (10 s in µs), as Chrome offers it.</summary>
    public const string DefaultFmtp = "repair-window=10000000";

    /// <summary>
    /// The offered flexfec-03 codec and FEC SSRC of a single-stream video section; null when the section offers none,
    /// has no FEC-FR group, or is simulcast.
    /// </summary>
    public static (NegotiatedCodec Codec, uint Ssrc, uint MediaSsrc)? Match(MediaDescription m)
    {
        if (m.Kind != "video" || m.Simulcast is not null || m.SsrcGroups.Any(g => g.Semantics == SsrcGroup.Sim)) return null;
        var group = m.SsrcGroups.FirstOrDefault(g => g.Semantics == SsrcGroup.FecFr && g.Ssrcs.Count == 2);
        if (group is null) return null;
        foreach (var c in m.Codecs)
        {
            if (!c.Is(CodecName) || c.ClockRate != 90000) continue;
            return (new NegotiatedCodec(c.PayloadType, c.Name, c.ClockRate, 0, c.FmtpRaw, [], null), group.Ssrcs[1], group.Ssrcs[0]);
        }
        return null;
    }

    /// <summary>The flexfec-03 codec we offer subscribers beside a protected video track.</summary>
    public static NegotiatedCodec ForSubscriber() => new(SubscriberPayloadType, CodecName, 90000, 0, DefaultFmtp, [], null);

    /// <summary>The flexfec-03 payload type the client kept in section <paramref name="index"/> of its answer; null without it.</summary>
    public static int? AcceptedPayloadType(SessionDescription answer, int index)
    {
        if (index >= answer.Media.Count) return null;
        foreach (var c in answer.Media[index].Codecs)
            if (c.Is(CodecName)) return c.PayloadType;
        return null;
    }
}
