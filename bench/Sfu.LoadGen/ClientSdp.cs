using System.Net;
using System.Text;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Sdp;

namespace Sfu.LoadGen;

/// <summary>The SDP a load client writes: a publisher offer with one VP8 section, and answers to subscriber offers.</summary>
internal static class ClientSdp
{
    public const int Vp8PayloadType = 96;
    public const int AbsSendTimeId = 2;

    /// <summary>
    /// The publisher's offer. <paramref name="withCandidate"/> adds our host candidate and end-of-candidates: an
    /// ICE-lite server learns our address from our checks, but a full agent (Janus) otherwise waits for trickle.
    /// </summary>
    public static string PublisherOffer(ClientTransport t, uint ssrc, string streamId, string trackId, string cname, bool withCandidate = false)
    {
        var sb = new StringBuilder();
        Line(sb, "v=0");
        Line(sb, $"o=- {Random.Shared.NextInt64(1, long.MaxValue)} 2 IN IP4 127.0.0.1");
        Line(sb, "s=-");
        Line(sb, "t=0 0");
        Line(sb, "a=group:BUNDLE 0");
        Line(sb, $"a=msid-semantic: WMS {streamId}");
        Line(sb, $"m=video 9 UDP/TLS/RTP/SAVPF {Vp8PayloadType}");
        Line(sb, "c=IN IP4 0.0.0.0");
        Transport(sb, t, "actpass");
        if (withCandidate) Candidate(sb, t);
        Line(sb, "a=mid:0");
        Line(sb, $"a=extmap:{AbsSendTimeId} http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
        Line(sb, "a=sendonly");
        Line(sb, $"a=msid:{streamId} {trackId}");
        Line(sb, "a=rtcp-mux");
        Line(sb, "a=rtcp-rsize");
        Line(sb, $"a=rtpmap:{Vp8PayloadType} VP8/90000");
        Line(sb, $"a=rtcp-fb:{Vp8PayloadType} nack");
        Line(sb, $"a=rtcp-fb:{Vp8PayloadType} nack pli");
        Line(sb, $"a=rtcp-fb:{Vp8PayloadType} ccm fir");
        Line(sb, $"a=ssrc:{ssrc} cname:{cname}");
        Line(sb, $"a=ssrc:{ssrc} msid:{streamId} {trackId}");
        return sb.ToString();
    }

    /// <summary>
    /// Answers the server's subscriber offer: every offered sendonly section recvonly (setup:active, so we are the
    /// DTLS client, RFC 8842 §5.3), inactive ones inactive, rejected ones rejected; codecs as offered.
    /// </summary>
    public static string SubscriberAnswer(SessionDescription offer, ClientTransport t, bool withCandidate = false)
    {
        var sb = new StringBuilder();
        Line(sb, "v=0");
        Line(sb, $"o=- {Random.Shared.NextInt64(1, long.MaxValue)} 2 IN IP4 127.0.0.1");
        Line(sb, "s=-");
        Line(sb, "t=0 0");
        var bundle = offer.Media.Where(m => m.Port != 0 && m.Mid is not null).Select(m => m.Mid!).ToList();
        if (bundle.Count > 0) Line(sb, $"a=group:BUNDLE {string.Join(' ', bundle)}");
        foreach (var m in offer.Media)
        {
            var formats = m.Formats.Count > 0 ? string.Join(' ', m.Formats) : "0";
            if (m.Port == 0)
            {
                Line(sb, $"m={m.Kind} 0 {m.Protocol} {formats}");
                if (m.Mid is not null) Line(sb, $"a=mid:{m.Mid}");
                continue;
            }
            Line(sb, $"m={m.Kind} 9 {m.Protocol} {formats}");
            Line(sb, "c=IN IP4 0.0.0.0");
            Transport(sb, t, "active");
            if (withCandidate) Candidate(sb, t);
            if (m.Mid is not null) Line(sb, $"a=mid:{m.Mid}");
            Line(sb, m.Direction is MediaDirection.SendOnly or MediaDirection.SendRecv ? "a=recvonly" : "a=inactive");
            Line(sb, "a=rtcp-mux");
            foreach (var c in m.Codecs)
            {
                var channels = c.Channels is > 1 ? $"/{c.Channels}" : "";
                Line(sb, $"a=rtpmap:{c.PayloadType} {c.Name}/{c.ClockRate}{channels}");
                foreach (var fb in c.RtcpFeedback) Line(sb, $"a=rtcp-fb:{c.PayloadType} {fb}");
                if (!string.IsNullOrEmpty(c.FmtpRaw)) Line(sb, $"a=fmtp:{c.PayloadType} {c.FmtpRaw}");
            }
        }
        return sb.ToString();
    }

    private static void Transport(StringBuilder sb, ClientTransport t, string setup)
    {
        Line(sb, $"a=ice-ufrag:{t.LocalUfrag}");
        Line(sb, $"a=ice-pwd:{t.LocalPassword}");
        Line(sb, $"a=fingerprint:sha-256 {t.Fingerprint}");
        Line(sb, $"a=setup:{setup}");
    }

    private static void Candidate(StringBuilder sb, ClientTransport t)
    {
        // RFC 8839 §5.1; priority of a host candidate (type preference 126, local preference 65535, component 1).
        var local = t.LocalEndPoint;
        Line(sb, $"a=candidate:1 1 udp 2130706431 {local.Address} {local.Port} typ host");
        Line(sb, "a=end-of-candidates");
    }

    /// <summary>
    /// The server's ICE parameters and its UDP host candidate: 127.0.0.1 if it offers one (Janus lists every
    /// address it gathered; the load generator lives on loopback), else the first UDP candidate with an IP address.
    /// </summary>
    public static (IPEndPoint Candidate, string Ufrag, string Password, string Fingerprint) ServerParameters(SessionDescription sdp)
    {
        var m = sdp.Media.FirstOrDefault(x => x.Port != 0) ?? throw new InvalidOperationException("server SDP has no usable m-section");
        var udp = sdp.Media.SelectMany(x => x.Candidates).Where(c => c.IsUdp && IPAddress.TryParse(c.Address, out _)).ToList();
        var candidate = udp.FirstOrDefault(c => c.Address == "127.0.0.1" && c.Type == "host") ?? udp.FirstOrDefault()
            ?? throw new InvalidOperationException("server SDP has no UDP host candidate");
        var ufrag = m.EffectiveIceUfrag(sdp) ?? throw new InvalidOperationException("server SDP has no ice-ufrag");
        var pwd = m.EffectiveIcePwd(sdp) ?? throw new InvalidOperationException("server SDP has no ice-pwd");
        var fingerprint = m.EffectiveFingerprint(sdp) ?? throw new InvalidOperationException("server SDP has no fingerprint");
        return (new IPEndPoint(IPAddress.Parse(candidate.Address), candidate.Port), ufrag, pwd, fingerprint.Value);
    }

    /// <summary>Our DTLS role from the server's answer to our actpass offer (RFC 8842 §5.2): its active makes us the server.</summary>
    public static DtlsRole DtlsRoleFromAnswer(SessionDescription answer)
    {
        var m = answer.Media.FirstOrDefault(x => x.Port != 0);
        return m?.EffectiveSetup(answer) == DtlsSetup.Active ? DtlsRole.Server : DtlsRole.Client;
    }

    private static void Line(StringBuilder sb, string line) => sb.Append(line).Append("\r\n");
}
