using System.Text;

namespace Sfu.WebRtc.Sdp;

/// <summary>
/// Writes a <see cref="SessionDescription"/> as CRLF-terminated SDP (RFC 8866 §5: lines end in CRLF, types in the
/// fixed order). Attribute order inside a section follows what Chromium writes, so browsers see a familiar shape.
/// </summary>
internal static class SdpWriter
{
    public static string Write(SessionDescription session)
    {
        var sb = new StringBuilder(4096);
        Line(sb, 'v', "0");
        Line(sb, 'o', session.Origin.ToString());
        Line(sb, 's', session.SessionName.Length == 0 ? "-" : session.SessionName);
        if (session.Information is not null) Line(sb, 'i', session.Information);
        foreach (var type in "uep") OtherLines(sb, session.OtherLines, type);
        if (session.Connection is not null) Line(sb, 'c', session.Connection.ToString());
        foreach (var b in session.Bandwidths) Line(sb, 'b', b.ToString());
        if (session.Timings.Count == 0) Line(sb, 't', "0 0");
        foreach (var t in session.Timings)
        {
            Line(sb, 't', t.ToString());
            foreach (var r in t.Repeats) Line(sb, 'r', r);
        }
        foreach (var type in "zk") OtherLines(sb, session.OtherLines, type);

        foreach (var g in session.Groups) Attr(sb, g.ToString());
        if (session.IceLite) Attr(sb, "ice-lite");
        if (session.IceUfrag is not null) Attr(sb, "ice-ufrag:" + session.IceUfrag);
        if (session.IcePwd is not null) Attr(sb, "ice-pwd:" + session.IcePwd);
        if (session.IceOptions.Count > 0) Attr(sb, "ice-options:" + string.Join(' ', session.IceOptions));
        foreach (var f in session.Fingerprints) Attr(sb, f.ToString());
        if (session.Setup is { } setup) Attr(sb, "setup:" + setup.ToSdp());
        if (session.ExtmapAllowMixed) Attr(sb, "extmap-allow-mixed");
        foreach (var e in session.Extensions) Attr(sb, e.ToString());
        if (session.Direction is { } direction) Attr(sb, direction.ToSdp());
        foreach (var a in session.Attributes) Attr(sb, a.ToString());

        foreach (var m in session.Media) WriteMedia(sb, m);
        return sb.ToString();
    }

    private static void WriteMedia(StringBuilder sb, MediaDescription m)
    {
        sb.Append("m=").Append(m.Kind).Append(' ').Append(SdpToken.Str(m.Port));
        if (m.PortCount is { } count) sb.Append('/').Append(SdpToken.Str(count));
        sb.Append(' ').Append(m.Protocol);
        foreach (var fmt in m.EffectiveFormats) sb.Append(' ').Append(fmt);
        sb.Append("\r\n");
        if (m.Information is not null) Line(sb, 'i', m.Information);
        if (m.Connection is not null) Line(sb, 'c', m.Connection.ToString());
        foreach (var b in m.Bandwidths) Line(sb, 'b', b.ToString());
        OtherLines(sb, m.OtherLines, 'k');

        if (m.IceUfrag is not null) Attr(sb, "ice-ufrag:" + m.IceUfrag);
        if (m.IcePwd is not null) Attr(sb, "ice-pwd:" + m.IcePwd);
        if (m.IceOptions.Count > 0) Attr(sb, "ice-options:" + string.Join(' ', m.IceOptions));
        foreach (var f in m.Fingerprints) Attr(sb, f.ToString());
        if (m.Setup is { } setup) Attr(sb, "setup:" + setup.ToSdp());
        if (m.Mid is not null) Attr(sb, "mid:" + m.Mid);
        if (m.ExtmapAllowMixed) Attr(sb, "extmap-allow-mixed");
        foreach (var e in m.Extensions) Attr(sb, e.ToString());
        // Direction means nothing for a data channel section (RFC 8841), and JSEP writes none there.
        if (m.IsRtp || m.Direction != MediaDirection.SendRecv) Attr(sb, m.Direction.ToSdp());
        foreach (var msid in m.Msids) Attr(sb, msid.ToString());
        if (m.RtcpMux) Attr(sb, "rtcp-mux");
        if (m.RtcpMuxOnly) Attr(sb, "rtcp-mux-only");
        if (m.RtcpRsize) Attr(sb, "rtcp-rsize");
        foreach (var a in m.OtherAttributes) Attr(sb, a.ToString());
        foreach (var c in m.Codecs)
        {
            Attr(sb, "rtpmap:" + c.RtpMapValue);
            foreach (var fb in c.RtcpFeedback) Attr(sb, $"rtcp-fb:{SdpToken.Str(c.PayloadType)} {fb}");
            if (c.FmtpRaw is not null) Attr(sb, $"fmtp:{SdpToken.Str(c.PayloadType)} {c.FmtpRaw}");
        }
        foreach (var fb in m.WildcardRtcpFeedback) Attr(sb, "rtcp-fb:* " + fb);
        foreach (var r in m.Rids) Attr(sb, r.ToString());
        if (m.Simulcast is not null) Attr(sb, m.Simulcast.ToString());
        foreach (var g in m.SsrcGroups) Attr(sb, g.ToString());
        foreach (var s in m.Ssrcs) Attr(sb, s.ToString());
        if (m.SctpPort is { } sctpPort) Attr(sb, "sctp-port:" + SdpToken.Str(sctpPort));
        if (m.MaxMessageSize is { } max) Attr(sb, "max-message-size:" + SdpToken.Str(max));
        foreach (var c in m.Candidates) Attr(sb, c.ToString());
        if (m.EndOfCandidates) Attr(sb, "end-of-candidates");
    }

    private static void Line(StringBuilder sb, char type, string value) =>
        sb.Append(type).Append('=').Append(value).Append("\r\n");

    private static void Attr(StringBuilder sb, string value) => sb.Append("a=").Append(value).Append("\r\n");

    private static void OtherLines(StringBuilder sb, List<KeyValuePair<char, string>> lines, char type)
    {
        foreach (var l in lines)
            if (l.Key == type) Line(sb, type, l.Value);
    }
}
