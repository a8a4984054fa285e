using System.Text;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Negotiation;

/// <summary>The subscriber connection's negotiation: the SFU offers, the client answers (JSEP RFC 8829 §5.2).</summary>
public static class SubscriberOffer
{
    private static readonly string[] VideoFeedback = ["nack", "nack pli", "ccm fir", "transport-cc"];
    private static readonly string[] VideoFeedbackWithoutNack = ["nack pli", "ccm fir", "transport-cc"];
    // Audio packets carry transport-wide sequence numbers too, so the estimate sees all the connection's traffic.
    private static readonly string[] AudioFeedback = ["transport-cc"];

    /// <summary>
    /// Payload types we use toward subscribers whatever the publisher used, so every m-section in the BUNDLE
    /// maps a payload type to one codec (RFC 9143 §7.5.1). Forwarding rewrites the payload type byte.
    /// </summary>
    public static int PayloadTypeFor(NegotiatedCodec codec) => codec.Name.ToUpperInvariant() switch
    {
        "OPUS" => 111,
        "VP8" => 96,
        "VP9" => 98,
        "H264" => 102,
        "AV1" => 45,
        _ => 100,
    };

    /// <summary>
    /// The RTX payload type (RFC 4588 §8.1) we offer beside a video codec: the one after it, as Chrome numbers them,
    /// so it never collides with another codec's fixed payload type in the BUNDLE.
    /// </summary>
    public static int RtxPayloadTypeFor(NegotiatedCodec codec) => PayloadTypeFor(codec) + 1;

    /// <param name="fec">webrtc.fec: Opus sections carry useinbandfec=1.</param>
    /// <param name="dtx">webrtc.dtx: Opus sections carry usedtx=1.</param>
    public static string Create(IReadOnlyList<SubscriberSection> sections, LocalIceParameters local, ulong sessionId, ulong version, string cname, bool nack = true,
        bool fec = true, bool dtx = false)
    {
        var sb = new StringBuilder();
        SdpText.SessionHeader(sb, sessionId, version, sections.Select(s => s.Mid));
        var first = true;
        foreach (var s in sections)
        {
            var pt = PayloadTypeFor(s.Codec);
            var rtx = nack && s.Kind == "video" && s.RtxSsrc is not null ? RtxPayloadTypeFor(s.Codec) : (int?)null;
            var red = s.Red ? RedNegotiation.ForSubscriber(s.Codec) : null;
            var flexFec = s.Kind == "video" && s.FecSsrc is not null ? FlexFecNegotiation.ForSubscriber() : null;
            sb.Line($"m={s.Kind} 9 UDP/TLS/RTP/SAVPF {(red is null ? "" : $"{red.PayloadType} ")}{pt}{(rtx is { } r ? $" {r}" : "")}{(flexFec is null ? "" : $" {flexFec.PayloadType}")}");
            SdpText.Transport(sb, local, "actpass", first);
            first = false;
            sb.Line($"a=mid:{s.Mid}");
            foreach (var (id, uri, kind) in SupportedExtensions.ToSubscriber)
                if (kind == s.Kind) sb.Line($"a=extmap:{id} {uri}");
            sb.Line(s.Active ? "a=sendonly" : "a=inactive");
            sb.Line("a=rtcp-mux").Line("a=rtcp-rsize");
            if (red is not null) SdpText.Codec(sb, red.PayloadType, red, []);
            SdpText.Codec(sb, pt, OpusParameters.For(s.Codec, fec, dtx), s.Kind == "video" ? (nack ? VideoFeedback : VideoFeedbackWithoutNack) : AudioFeedback);
            if (rtx is not null)
            {
                sb.Line($"a=rtpmap:{rtx} rtx/{s.Codec.ClockRate}");
                sb.Line($"a=fmtp:{rtx} apt={pt}");
            }
            if (flexFec is not null) SdpText.Codec(sb, flexFec.PayloadType, flexFec, ["transport-cc"]);
            if (s.Active)
            {
                sb.Line($"a=msid:{s.StreamId} {s.TrackId}");
                // RFC 5576 §4.2 / RFC 4588 §8.3: the FID group ties the RTX SSRC to the media SSRC it repairs.
                if (rtx is not null) sb.Line($"a=ssrc-group:FID {s.Ssrc} {s.RtxSsrc}");
                // RFC 5956 §4.3: FEC-FR names the media SSRC first, then the FEC SSRC that protects it.
                if (flexFec is not null) sb.Line($"a=ssrc-group:FEC-FR {s.Ssrc} {s.FecSsrc}");
                sb.Line($"a=ssrc:{s.Ssrc} cname:{cname}");
                sb.Line($"a=ssrc:{s.Ssrc} msid:{s.StreamId} {s.TrackId}");
                if (rtx is not null)
                {
                    sb.Line($"a=ssrc:{s.RtxSsrc} cname:{cname}");
                    sb.Line($"a=ssrc:{s.RtxSsrc} msid:{s.StreamId} {s.TrackId}");
                }
                if (flexFec is not null)
                {
                    sb.Line($"a=ssrc:{s.FecSsrc} cname:{cname}");
                    sb.Line($"a=ssrc:{s.FecSsrc} msid:{s.StreamId} {s.TrackId}");
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>Checks the client's answer: every section we offered is present, and returns its transport parameters.</summary>
    public static RemoteTransportParameters ReadAnswer(SessionDescription answer, IReadOnlyList<SubscriberSection> offered)
    {
        if (answer.Media.Count != offered.Count)
            throw new NegotiationException($"answer has {answer.Media.Count} m-sections, the offer had {offered.Count}");
        for (var i = 0; i < offered.Count; i++)
        {
            var m = answer.Media[i];
            if (m.Mid is not null && m.Mid != offered[i].Mid)
                throw new NegotiationException($"m-section {i}: answer mid {m.Mid} does not match offered {offered[i].Mid}");
        }
        return RemoteParameters.From(answer, offering: false);
    }

    /// <summary>Whether the client accepted a section for receiving (not rejected, not inactive).</summary>
    public static bool Accepted(SessionDescription answer, int index) =>
        index < answer.Media.Count && answer.Media[index].Port != 0 &&
        answer.Media[index].Direction is MediaDirection.RecvOnly or MediaDirection.SendRecv;

    /// <summary>
    /// The RTX payload type the client kept for section <paramref name="index"/> (an rtx codec whose apt is our
    /// payload type for <paramref name="codec"/>); null when it answered without RTX, so retransmissions go plain.
    /// </summary>
    public static int? AcceptedRtxPayloadType(SessionDescription answer, int index, NegotiatedCodec codec)
    {
        if (index >= answer.Media.Count) return null;
        var pt = PayloadTypeFor(codec);
        foreach (var c in answer.Media[index].Codecs)
            if (c.Is("rtx") && c.Apt == pt) return c.PayloadType;
        return null;
    }

    internal static DtlsRole RoleFor(RemoteTransportParameters p) => p.OurRole;
}
