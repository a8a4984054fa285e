using System.Text;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Negotiation;

/// <summary>The answer to a publisher's offer and what it tells us about the tracks and transport.</summary>
public sealed record PublisherNegotiation(string AnswerSdp, IReadOnlyList<PublishedTrackDescription> Tracks, RemoteTransportParameters Remote);

/// <summary>
/// Answers a publisher connection's offer (the client offers, the SFU answers, JSEP RFC 8829 §5.3).
/// Every m-section the client sends on is answered recvonly with the codecs we forward, in our preference order;
/// anything we cannot take (data channels, codecs we do not forward, receive-only sections) is rejected or inactive.
/// </summary>
public static class PublisherAnswer
{
    // goog-remb: we send REMB (the webrtc.max_bitrate cap) on every publisher connection; transport-cc only where the
    // section also offers the transport-wide sequence number extension, which the feedback is about.
    private static readonly string[] Feedback = ["nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"];

    /// <param name="nack">webrtc.nack: when false, neither generic NACK nor RTX is negotiated (PLI/FIR still are).</param>
    /// <param name="fec">webrtc.fec: red (RFC 2198) is answered first so the publisher sends it, and Opus gets useinbandfec=1;
    /// a single-stream video section's flexfec-03 (with its FEC-FR SSRC group) is accepted so the publisher sends FEC.</param>
    /// <param name="dtx">webrtc.dtx: Opus gets usedtx=1.</param>
    /// <param name="transportCc">Answer transport-wide congestion control (the extension and <c>a=rtcp-fb:* transport-cc</c>)
    /// when offered, so the publisher's browser runs its own send-side estimate from our feedback
    /// (draft-holmer-rmcat-transport-wide-cc-extensions-01); false leaves it REMB only.</param>
    public static PublisherNegotiation Create(SessionDescription offer, LocalIceParameters local, IReadOnlyList<CodecPreference> preferences, ulong sessionId, ulong version, int maxTracks, bool nack = true,
        bool fec = true, bool dtx = false, bool transportCc = true)
    {
        var remote = RemoteParameters.From(offer, offering: true);
        var tracks = new List<PublishedTrackDescription>();
        var sections = new StringBuilder();
        var bundle = new List<string>();
        var first = true;
        foreach (var m in offer.Media)
        {
            var mid = m.Mid ?? throw new NegotiationException("every m-section needs a=mid (BUNDLE, RFC 9143)");
            var sends = m.Direction is MediaDirection.SendRecv or MediaDirection.SendOnly;
            var codecs = (m.Kind is "audio" or "video") && m.Port != 0 ? Match(m, preferences, nack, transportCc) : [];
            if (codecs.Count == 0)
            {
                Rejected(sections, m, local);
                continue;
            }
            codecs = codecs.Select(c => OpusParameters.For(c, fec, dtx)).ToList();
            var red = m.Kind == "audio" && codecs.FirstOrDefault(c => c.Is("opus")) is { } opus ? RedNegotiation.Match(m, opus) : null;
            // Chrome sends with the first codec of the answer: red first makes it send RED; after Opus it is only allowed.
            List<NegotiatedCodec> answered = red is null ? codecs : fec ? [red, .. codecs] : [.. codecs, red];
            var rids = m.Rids.Where(r => r.Direction == RidDirection.Send).Select(r => r.Id).ToList();
            // After the media codecs: a FEC codec answered first would become the send codec.
            var flexFec = fec && rids.Count == 0 ? FlexFecNegotiation.Match(m) : null;
            if (flexFec is { } ff) answered = [.. answered, ff.Codec];
            var accept = sends && tracks.Count < maxTracks;
            sections.Line($"m={m.Kind} 9 {m.Protocol} {string.Join(' ', PayloadTypes(answered))}");
            SdpText.Transport(sections, local, remote.OurRole == DtlsRole.Server ? "passive" : "active", first);
            first = false;
            sections.Line($"a=mid:{mid}");
            var extensionIds = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var ext in m.Extensions)
            {
                if (!SupportedExtensions.FromPublisher.Contains(ext.Uri) && !(transportCc && ext.Uri == Rtp.RtpExtensionUris.TransportWideCc)) continue;
                extensionIds[ext.Uri] = ext.Id;
                sections.Line($"a=extmap:{ext.Id} {ext.Uri}");
            }
            sections.Line(accept ? "a=recvonly" : "a=inactive");
            sections.Line("a=rtcp-mux");
            if (m.RtcpRsize) sections.Line("a=rtcp-rsize");
            foreach (var c in answered)
            {
                SdpText.Codec(sections, c.PayloadType, c, c.RtcpFeedback);
                if (c.RtxPayloadType is { } rtx)
                {
                    sections.Line($"a=rtpmap:{rtx} rtx/{c.ClockRate}");
                    sections.Line($"a=fmtp:{rtx} apt={c.PayloadType}");
                }
            }
            if (accept && rids.Count > 0 && m.Simulcast is not null)
            {
                // RFC 8853 §5.3: the answerer mirrors the offered rids as recv.
                foreach (var rid in rids) sections.Line($"a=rid:{rid} recv");
                sections.Line($"a=simulcast:recv {string.Join(';', rids)}");
            }
            bundle.Add(mid);
            if (accept) tracks.Add(Describe(m, mid, codecs, extensionIds, rids) with { Red = red, FlexFec = flexFec?.Codec, FecSsrc = flexFec?.Ssrc });
        }
        var sb = new StringBuilder();
        SdpText.SessionHeader(sb, sessionId, version, bundle);
        sb.Append(sections);
        return new PublisherNegotiation(sb.ToString(), tracks, remote);
    }

    private static void Rejected(StringBuilder sb, MediaDescription m, LocalIceParameters local)
    {
        // RFC 8829 §5.3.1: a rejected m-section keeps its kind and protocol with port 0, and leaves the BUNDLE group.
        // ICE credentials stay on it anyway: some stacks (aiortc) refuse an answer with any section lacking them.
        sb.Line($"m={m.Kind} 0 {m.Protocol} {(m.Formats.Count > 0 ? m.Formats[0] : "0")}")
          .Line("c=IN IP4 0.0.0.0")
          .Line($"a=ice-ufrag:{local.Ufrag}")
          .Line($"a=ice-pwd:{local.Password}");
        if (m.Mid is not null) sb.Line($"a=mid:{m.Mid}");
        sb.Line("a=inactive");
    }

    private static IEnumerable<int> PayloadTypes(IReadOnlyList<NegotiatedCodec> codecs)
    {
        foreach (var c in codecs)
        {
            yield return c.PayloadType;
            if (c.RtxPayloadType is { } rtx) yield return rtx;
        }
    }

    /// <summary>The offered codecs we forward, ordered by our preference, keeping the offerer's payload types.</summary>
    internal static List<NegotiatedCodec> Match(MediaDescription m, IReadOnlyList<CodecPreference> preferences, bool nack = true, bool transportCc = false)
    {
        var wideCc = transportCc && m.Extensions.Any(e => e.Uri == Rtp.RtpExtensionUris.TransportWideCc);
        var rtxByApt = new Dictionary<int, int>();
        foreach (var c in m.Codecs)
            if (c.Name.Equals("rtx", StringComparison.OrdinalIgnoreCase) && c.Fmtp.TryGetValue("apt", out var apt) && int.TryParse(apt, out var a))
                rtxByApt.TryAdd(a, c.PayloadType);
        var result = new List<NegotiatedCodec>();
        foreach (var pref in preferences.Where(p => p.Kind == m.Kind).OrderBy(p => p.Priority))
        {
            foreach (var c in m.Codecs)
            {
                if (!c.Name.Equals(pref.Name, StringComparison.OrdinalIgnoreCase) || c.ClockRate != pref.ClockRate) continue;
                if (!pref.RequiredFmtp.All(kv => c.Fmtp.TryGetValue(kv.Key, out var v) && v == kv.Value)) continue;
                var feedback = c.RtcpFeedback.Where(fb => Feedback.Contains(fb) && (nack || fb != "nack") && (wideCc || fb != "transport-cc")).ToList();
                // Audio gets no NACK/PLI; transport-cc keeps its packets in the publisher's estimate.
                if (m.Kind == "audio") feedback.RemoveAll(fb => fb != "transport-cc");
                result.Add(new NegotiatedCodec(c.PayloadType, c.Name, c.ClockRate, c.Channels ?? 0, c.FmtpRaw, feedback,
                    nack && rtxByApt.TryGetValue(c.PayloadType, out var rtx) ? rtx : null));
            }
        }
        return result;
    }

    private static PublishedTrackDescription Describe(MediaDescription m, string mid, List<NegotiatedCodec> codecs, Dictionary<string, int> extensionIds, List<string> rids)
    {
        var msid = m.Msids.FirstOrDefault();
        var ssrcMsid = m.Ssrcs.FirstOrDefault(s => s.Attribute == "msid")?.Value?.Split(' ');
        var streamId = msid?.StreamId ?? ssrcMsid?.ElementAtOrDefault(0) ?? "-";
        var trackId = msid?.TrackId ?? ssrcMsid?.ElementAtOrDefault(1) ?? mid;
        var rtx = new Dictionary<uint, uint>();
        var repair = new HashSet<uint>();
        foreach (var g in m.SsrcGroups.Where(g => g.Semantics == "FID" && g.Ssrcs.Count == 2))
        {
            rtx[g.Ssrcs[0]] = g.Ssrcs[1];
            repair.Add(g.Ssrcs[1]);
        }
        // RFC 5956 §4.3: the second SSRC of a FEC-FR group carries FEC, not media.
        foreach (var g in m.SsrcGroups.Where(g => g.Semantics == "FEC-FR" && g.Ssrcs.Count == 2)) repair.Add(g.Ssrcs[1]);
        var sim = m.SsrcGroups.FirstOrDefault(g => g.Semantics == "SIM");
        var media = sim is not null
            ? sim.Ssrcs.ToList()
            : m.Ssrcs.Select(s => s.Ssrc).Distinct().Where(s => !repair.Contains(s)).ToList();
        return new PublishedTrackDescription(mid, m.Kind, streamId, trackId, media, rtx, codecs, extensionIds, rids);
    }
}

public sealed class NegotiationException(string message) : Exception(message);
