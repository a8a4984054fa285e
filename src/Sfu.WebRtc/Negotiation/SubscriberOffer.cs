using System.Text;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Negotiation;

/// <summary>The subscriber connection's negotiation: the SFU offers, the client answers (JSEP RFC 8829 §5.2).</summary>
public static class SubscriberOffer
{
    private static readonly string[] VideoFeedback = ["nack", "nack pli", "ccm fir", "transport-cc"];
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

    public static string Create(IReadOnlyList<SubscriberSection> sections, LocalIceParameters local, ulong sessionId, ulong version, string cname)
    {
        var sb = new StringBuilder();
        SdpText.SessionHeader(sb, sessionId, version, sections.Select(s => s.Mid));
        var first = true;
        foreach (var s in sections)
        {
            var pt = PayloadTypeFor(s.Codec);
            sb.Line($"m={s.Kind} 9 UDP/TLS/RTP/SAVPF {pt}");
            SdpText.Transport(sb, local, "actpass", first);
            first = false;
            sb.Line($"a=mid:{s.Mid}");
            foreach (var (id, uri, kind) in SupportedExtensions.ToSubscriber)
                if (kind == s.Kind) sb.Line($"a=extmap:{id} {uri}");
            sb.Line(s.Active ? "a=sendonly" : "a=inactive");
            sb.Line("a=rtcp-mux").Line("a=rtcp-rsize");
            SdpText.Codec(sb, pt, s.Codec, s.Kind == "video" ? VideoFeedback : AudioFeedback);
            if (s.Active)
            {
                sb.Line($"a=msid:{s.StreamId} {s.TrackId}");
                sb.Line($"a=ssrc:{s.Ssrc} cname:{cname}");
                sb.Line($"a=ssrc:{s.Ssrc} msid:{s.StreamId} {s.TrackId}");
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

    internal static DtlsRole RoleFor(RemoteTransportParameters p) => p.OurRole;
}
