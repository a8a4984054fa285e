using System.Text;

namespace Sfu.WebRtc.Sdp;

/// <summary>
/// Reads SDP text into a <see cref="SessionDescription"/>. Every failure is an <see cref="SdpParseException"/>
/// carrying the 1-based line number: the input comes from untrusted signalling peers.
/// <code>
/// session-description = v= o= s= [i=] [u=] *e= *p= [c=] *b= 1*(t= *r=) [z=] [k=] *a= *media-description
/// media-description   = m= [i=] *c= *b= [k=] *a=                         (RFC 8866 §9)
/// </code>
/// Accepts CRLF or bare LF line ends (RFC 8866 §5 asks parsers to), skips blank lines and trailing blanks.
/// </summary>
internal static class SdpParser
{
    // RFC 3551 §6 static payload types, which may appear in an m-line without an a=rtpmap.
    private static readonly Dictionary<int, (string Name, int Clock)> StaticPayloadTypes = new()
    {
        [0] = ("PCMU", 8000), [3] = ("GSM", 8000), [4] = ("G723", 8000), [8] = ("PCMA", 8000),
        [9] = ("G722", 8000), [13] = ("CN", 8000), [18] = ("G729", 8000), [26] = ("JPEG", 90000),
        [31] = ("H261", 90000), [32] = ("MPV", 90000), [34] = ("H263", 90000),
    };

    public static SessionDescription Parse(string? sdp)
    {
        if (sdp is null) throw new SdpParseException(0, "SDP is null");
        // Length first: a multi-megabyte string is refused before any per-character work.
        if (sdp.Length > SdpLimits.MaxSdpBytes || Encoding.UTF8.GetByteCount(sdp) > SdpLimits.MaxSdpBytes)
            throw new SdpParseException(0, $"SDP is larger than {SdpLimits.MaxSdpBytes} bytes");

        var lines = SplitLines(sdp);
        if (lines.Count == 0) throw new SdpParseException(0, "SDP is empty");

        var state = new ParseState();
        var index = 0;
        var session = ParseSessionHeader(lines, ref index);
        state.Session = session;

        MediaState? media = null;
        for (; index < lines.Count; index++)
        {
            var (lineNo, type, value) = lines[index];
            if (type == 'm')
            {
                if (media is not null) FinishMedia(media, state);
                else if (session.Timings.Count == 0) throw new SdpParseException(lineNo, "m= before any t= line");
                if (session.Media.Count >= SdpLimits.MaxMediaSections)
                    throw new SdpParseException(lineNo, $"more than {SdpLimits.MaxMediaSections} m-sections");
                media = new MediaState(ParseMediaLine(lineNo, value), lineNo);
                session.Media.Add(media.Media);
            }
            else if (media is null)
            {
                ParseSessionLine(session, state, lineNo, type, value);
            }
            else
            {
                ParseMediaLevelLine(media, lineNo, type, value);
            }
        }
        if (media is not null) FinishMedia(media, state);
        if (session.Timings.Count == 0) throw new SdpParseException(lines[^1].LineNo, "no t= line");
        Validate(state);
        return session;
    }

    private static List<(int LineNo, char Type, string Value)> SplitLines(string sdp)
    {
        var result = new List<(int, char, string)>();
        var lineNo = 0;
        var start = 0;
        while (start <= sdp.Length)
        {
            var end = sdp.IndexOf('\n', start);
            if (end < 0) end = sdp.Length;
            lineNo++;
            var line = sdp.AsSpan(start, end - start);
            start = end + 1;
            if (line.EndsWith("\r")) line = line[..^1];
            line = line.TrimEnd(" \t");
            if (line.IsEmpty) continue;
            if (line.Length < 2 || line[1] != '=' || line[0] is < 'a' or > 'z')
                throw new SdpParseException(lineNo, $"expected '<type>=<value>', got '{Excerpt(line)}'");
            foreach (var c in line)
            {
                // RFC 8866 §5: no NUL, CR or LF inside a line; other control characters have no business here either.
                if (c < 0x20 && c != '\t')
                    throw new SdpParseException(lineNo, $"control character 0x{(int)c:X2} in line");
            }
            result.Add((lineNo, line[0], line[2..].ToString()));
        }
        return result;
    }

    private static string Excerpt(ReadOnlySpan<char> s)
    {
        var text = s.Length <= 40 ? s.ToString() : s[..40].ToString() + "...";
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(c < 0x20 || c == 0x7F ? '?' : c);
        return sb.ToString();
    }

    private static SessionDescription ParseSessionHeader(List<(int LineNo, char Type, string Value)> lines, ref int index)
    {
        var (vLine, vType, vValue) = lines[0];
        if (vType != 'v') throw new SdpParseException(vLine, $"first line must be v=0, got '{vType}='");
        if (vValue != "0") throw new SdpParseException(vLine, $"unsupported SDP version '{Excerpt(vValue)}' (only v=0)");
        if (lines.Count < 2 || lines[1].Type != 'o')
            throw new SdpParseException(lines.Count < 2 ? vLine : lines[1].LineNo, "second line must be o=");
        if (!Origin.TryParse(lines[1].Value, out var origin, out var error))
            throw new SdpParseException(lines[1].LineNo, error!);
        if (lines.Count < 3 || lines[2].Type != 's')
            throw new SdpParseException(lines.Count < 3 ? lines[1].LineNo : lines[2].LineNo, "third line must be s=");
        index = 3;
        var session = new SessionDescription(origin!) { SessionName = lines[2].Value };
        session.Timings.Clear();
        return session;
    }

    private static void ParseSessionLine(SessionDescription session, ParseState state, int lineNo, char type, string value)
    {
        switch (type)
        {
            case 'a':
                ParseSessionAttribute(session, state, lineNo, value);
                break;
            case 'i':
                if (session.Information is not null) throw new SdpParseException(lineNo, "more than one session i= line");
                session.Information = value;
                break;
            case 'c':
                if (session.Connection is not null) throw new SdpParseException(lineNo, "more than one session c= line");
                session.Connection = Expect<ConnectionData>(ConnectionData.TryParse, value, lineNo);
                break;
            case 'b':
                session.Bandwidths.Add(Expect<SdpBandwidth>(SdpBandwidth.TryParse, value, lineNo));
                break;
            case 't':
                session.Timings.Add(Expect<SdpTiming>(SdpTiming.TryParse, value, lineNo));
                break;
            case 'r':
                if (session.Timings.Count == 0) throw new SdpParseException(lineNo, "r= must follow a t= line");
                session.Timings[^1].Repeats.Add(value);
                break;
            case 'u' or 'e' or 'p' or 'z' or 'k':
                session.OtherLines.Add(new(type, value));
                break;
            case 'v' or 'o' or 's':
                throw new SdpParseException(lineNo, $"duplicate {type}= line");
            default:
                // RFC 8866 §5: a parser must ignore or reject a description with a type letter it does not know.
                throw new SdpParseException(lineNo, $"unknown line type '{type}='");
        }
    }

    private static void ParseSessionAttribute(SessionDescription session, ParseState state, int lineNo, string line)
    {
        var (name, value) = SplitAttribute(line);
        switch (name)
        {
            case "group":
                var group = Expect<SdpGroup>(SdpGroup.TryParse, Required(name, value, lineNo), lineNo);
                session.Groups.Add(group);
                state.GroupLines.Add((group, lineNo));
                return;
            case "ice-lite" when value is null:
                session.IceLite = true;
                return;
            case "ice-ufrag":
                session.IceUfrag = ParseIceUfrag(session.IceUfrag, value, lineNo);
                return;
            case "ice-pwd":
                session.IcePwd = ParseIcePwd(session.IcePwd, value, lineNo);
                return;
            case "ice-options":
                session.IceOptions.AddRange(ParseIceOptions(value, lineNo));
                return;
            case "fingerprint":
                session.Fingerprints.Add(Expect<DtlsFingerprint>(DtlsFingerprint.TryParse, Required(name, value, lineNo), lineNo));
                return;
            case "setup":
                if (session.Setup is not null) throw new SdpParseException(lineNo, "more than one a=setup");
                session.Setup = ParseSetup(value, lineNo);
                return;
            case "extmap-allow-mixed" when value is null:
                session.ExtmapAllowMixed = true;
                return;
            case "extmap":
                var ext = Expect<ExtMap>(ExtMap.TryParse, Required(name, value, lineNo), lineNo);
                session.Extensions.Add(ext);
                state.SessionExtMapLines.Add((ext, lineNo));
                return;
            case "sendrecv" or "sendonly" or "recvonly" or "inactive" when value is null:
                if (session.Direction is not null) throw new SdpParseException(lineNo, "more than one session direction attribute");
                MediaDirectionExtensions.TryParse(name, out var dir);
                session.Direction = dir;
                return;
            default:
                session.Attributes.Add(new SdpAttribute(name, value));
                return;
        }
    }

    /// <summary>m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; 1*(SP &lt;fmt&gt;) (RFC 8866 §5.14).</summary>
    private static MediaDescription ParseMediaLine(int lineNo, string value)
    {
        var parts = SdpToken.SplitSpaces(value);
        if (parts.Length < 4)
            throw new SdpParseException(lineNo, "m= needs '<media> <port> <proto> <fmt> ...'");
        if (!SdpToken.IsToken(parts[0]))
            throw new SdpParseException(lineNo, $"m= media type '{Excerpt(parts[0])}' is not a token");
        var portText = parts[1];
        int? portCount = null;
        var slash = portText.IndexOf('/');
        if (slash >= 0)
        {
            if (!SdpToken.TryInt(portText[(slash + 1)..], 1, 65535, out var count))
                throw new SdpParseException(lineNo, $"m= port count '{Excerpt(portText.AsSpan(slash + 1))}' is not a number");
            portCount = count;
            portText = portText[..slash];
        }
        if (!SdpToken.TryPort(portText, out var port))
            throw new SdpParseException(lineNo, $"m= port '{Excerpt(portText)}' is not 0..65535");
        foreach (var segment in parts[2].Split('/'))
        {
            if (!SdpToken.IsToken(segment))
                throw new SdpParseException(lineNo, $"m= protocol '{Excerpt(parts[2])}' is not token/token...");
        }
        var media = new MediaDescription(parts[0], port, parts[2]) { PortCount = portCount };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 3; i < parts.Length; i++)
        {
            var fmt = parts[i];
            if (media.IsRtp && !SdpToken.TryInt(fmt, 0, SdpLimits.MaxPayloadType, out _))
                throw new SdpParseException(lineNo, $"m= RTP payload type '{Excerpt(fmt)}' is not 0..{SdpLimits.MaxPayloadType}");
            if (!SdpToken.IsToken(fmt))
                throw new SdpParseException(lineNo, $"m= format '{Excerpt(fmt)}' is not a token");
            if (!seen.Add(fmt))
                throw new SdpParseException(lineNo, $"m= lists format {fmt} twice");
            media.Formats.Add(fmt);
        }
        return media;
    }

    private static void ParseMediaLevelLine(MediaState state, int lineNo, char type, string value)
    {
        var media = state.Media;
        switch (type)
        {
            case 'a':
                ParseMediaAttribute(state, lineNo, value);
                break;
            case 'c':
                // RFC 8866 allows several c= only for multicast address ranges, which WebRTC never uses.
                if (media.Connection is not null) throw new SdpParseException(lineNo, "more than one c= line in an m-section");
                media.Connection = Expect<ConnectionData>(ConnectionData.TryParse, value, lineNo);
                break;
            case 'b':
                media.Bandwidths.Add(Expect<SdpBandwidth>(SdpBandwidth.TryParse, value, lineNo));
                break;
            case 'i':
                if (media.Information is not null) throw new SdpParseException(lineNo, "more than one i= line in an m-section");
                media.Information = value;
                break;
            case 'k':
                media.OtherLines.Add(new(type, value));
                break;
            default:
                throw new SdpParseException(lineNo, $"line type '{type}=' is not allowed in an m-section");
        }
    }

    private static void ParseMediaAttribute(MediaState state, int lineNo, string line)
    {
        var media = state.Media;
        var (name, value) = SplitAttribute(line);
        var rtp = media.IsRtp;
        switch (name)
        {
            case "mid":
                if (media.Mid is not null) throw new SdpParseException(lineNo, "more than one a=mid in an m-section");
                var mid = Required(name, value, lineNo);
                if (!SdpToken.IsVisible(mid)) throw new SdpParseException(lineNo, "a=mid must be printable with no spaces");
                media.Mid = mid;
                state.MidLine = lineNo;
                return;
            case "sendrecv" or "sendonly" or "recvonly" or "inactive" when value is null:
                if (state.Direction is not null) throw new SdpParseException(lineNo, "more than one direction attribute in an m-section");
                MediaDirectionExtensions.TryParse(name, out var dir);
                state.Direction = dir;
                return;
            case "ice-ufrag":
                media.IceUfrag = ParseIceUfrag(media.IceUfrag, value, lineNo);
                return;
            case "ice-pwd":
                media.IcePwd = ParseIcePwd(media.IcePwd, value, lineNo);
                return;
            case "ice-options":
                media.IceOptions.AddRange(ParseIceOptions(value, lineNo));
                return;
            case "fingerprint":
                media.Fingerprints.Add(Expect<DtlsFingerprint>(DtlsFingerprint.TryParse, Required(name, value, lineNo), lineNo));
                return;
            case "setup":
                if (media.Setup is not null) throw new SdpParseException(lineNo, "more than one a=setup in an m-section");
                media.Setup = ParseSetup(value, lineNo);
                return;
            case "rtcp-mux" when value is null:
                media.RtcpMux = true;
                return;
            case "rtcp-mux-only" when value is null:
                media.RtcpMuxOnly = true;
                return;
            case "rtcp-rsize" when value is null:
                media.RtcpRsize = true;
                return;
            case "end-of-candidates" when value is null:
                media.EndOfCandidates = true;
                return;
            case "extmap-allow-mixed" when value is null:
                media.ExtmapAllowMixed = true;
                return;
            case "extmap":
                var ext = Expect<ExtMap>(ExtMap.TryParse, Required(name, value, lineNo), lineNo);
                media.Extensions.Add(ext);
                state.ExtMapLines.Add((ext, lineNo));
                return;
            case "msid":
                media.Msids.Add(Expect<Msid>(Msid.TryParse, Required(name, value, lineNo), lineNo));
                return;
            case "rtpmap" when rtp:
                var codec = Expect<RtpCodec>(RtpCodec.TryParseRtpMap, Required(name, value, lineNo), lineNo);
                if (!state.RtpMaps.TryAdd(codec.PayloadType, (codec, lineNo)))
                    throw new SdpParseException(lineNo, $"second a=rtpmap for payload type {codec.PayloadType}");
                return;
            case "fmtp" when rtp:
                var (fmtPt, fmtValue) = ParsePayloadTypeAndRest(name, Required(name, value, lineNo), lineNo, allowWildcard: false);
                if (!state.Fmtps.TryAdd(fmtPt, (fmtValue, lineNo)))
                    throw new SdpParseException(lineNo, $"second a=fmtp for payload type {fmtPt}");
                return;
            case "rtcp-fb" when rtp:
                var (fbPt, fb) = ParsePayloadTypeAndRest(name, Required(name, value, lineNo), lineNo, allowWildcard: true);
                if (fb.Length == 0) throw new SdpParseException(lineNo, "a=rtcp-fb needs a feedback type");
                if (fbPt < 0) media.WildcardRtcpFeedback.Add(fb);
                else state.Feedback.Add((fbPt, fb, lineNo));
                return;
            case "ssrc":
                media.Ssrcs.Add(Expect<SsrcAttribute>(SsrcAttribute.TryParse, Required(name, value, lineNo), lineNo));
                return;
            case "ssrc-group":
                media.SsrcGroups.Add(Expect<SsrcGroup>(SsrcGroup.TryParse, Required(name, value, lineNo), lineNo));
                return;
            case "rid":
                var rid = Expect<RidDescription>(RidDescription.TryParse, Required(name, value, lineNo), lineNo);
                if (media.Rids.Exists(r => r.Id == rid.Id && r.Direction == rid.Direction))
                    throw new SdpParseException(lineNo, $"a=rid '{rid.Id}' defined twice");
                media.Rids.Add(rid);
                return;
            case "simulcast":
                if (media.Simulcast is not null) throw new SdpParseException(lineNo, "more than one a=simulcast in an m-section");
                media.Simulcast = Expect<SimulcastDescription>(SimulcastDescription.TryParse, Required(name, value, lineNo), lineNo);
                state.SimulcastLine = lineNo;
                return;
            case "candidate":
                if (!IceCandidate.TryParse("candidate:" + Required(name, value, lineNo), out var candidate, out var cerr))
                    throw new SdpParseException(lineNo, cerr!);
                media.Candidates.Add(candidate!);
                return;
            case "sctp-port":
                if (media.SctpPort is not null) throw new SdpParseException(lineNo, "more than one a=sctp-port");
                if (!SdpToken.TryPort(Required(name, value, lineNo), out var sctpPort))
                    throw new SdpParseException(lineNo, $"a=sctp-port '{Excerpt(value)}' is not 0..65535");
                media.SctpPort = sctpPort;
                return;
            case "max-message-size":
                if (media.MaxMessageSize is not null) throw new SdpParseException(lineNo, "more than one a=max-message-size");
                if (!SdpToken.TryULong(Required(name, value, lineNo), out var maxSize))
                    throw new SdpParseException(lineNo, $"a=max-message-size '{Excerpt(value)}' is not a number");
                media.MaxMessageSize = maxSize;
                return;
            default:
                media.OtherAttributes.Add(new SdpAttribute(name, value));
                return;
        }
    }

    /// <summary>Assembles codecs in m-line order and checks what can only be checked once the section is complete.</summary>
    private static void FinishMedia(MediaState state, ParseState parse)
    {
        var media = state.Media;
        media.Direction = state.Direction ?? parse.Session!.Direction ?? MediaDirection.SendRecv;

        if (media.IsRtp)
        {
            foreach (var fmt in media.Formats)
            {
                SdpToken.TryInt(fmt, 0, SdpLimits.MaxPayloadType, out var pt);
                RtpCodec codec;
                if (state.RtpMaps.Remove(pt, out var mapped))
                {
                    codec = mapped.Codec;
                }
                else if (StaticPayloadTypes.TryGetValue(pt, out var known))
                {
                    codec = new RtpCodec(pt, known.Name, known.Clock);
                }
                else if (media.IsRejected)
                {
                    // A rejected section (port 0) may keep a bare payload type list (RFC 3264 §6).
                    continue;
                }
                else
                {
                    throw new SdpParseException(state.MLine, $"dynamic payload type {pt} has no a=rtpmap (RFC 8866 §6.6)");
                }
                if (state.Fmtps.Remove(pt, out var fmtp)) codec.FmtpRaw = fmtp.Value;
                foreach (var fb in state.Feedback)
                    if (fb.Pt == pt) codec.RtcpFeedback.Add(fb.Feedback);
                media.Codecs.Add(codec);
            }
            // rtpmap/fmtp/rtcp-fb for payload types the m-line does not list have no effect (RFC 8866 §6.6);
            // they are kept verbatim so that writing the description back loses nothing.
            foreach (var (codec, _) in state.RtpMaps.Values.OrderBy(v => v.Line))
                media.OtherAttributes.Add(new SdpAttribute("rtpmap", codec.RtpMapValue));
            foreach (var (pt, (fmtpValue, _)) in state.Fmtps.OrderBy(v => v.Value.Line))
                media.OtherAttributes.Add(new SdpAttribute("fmtp", $"{SdpToken.Str(pt)} {fmtpValue}"));
            foreach (var fb in state.Feedback)
                if (media.FindCodec(fb.Pt) is null)
                    media.OtherAttributes.Add(new SdpAttribute("rtcp-fb", $"{SdpToken.Str(fb.Pt)} {fb.Feedback}"));
        }

        var allowMixed = media.ExtmapAllowMixed || parse.Session!.ExtmapAllowMixed;
        var ids = new HashSet<int>();
        foreach (var (ext, line) in state.ExtMapLines)
        {
            CheckExtensionId(ext, line, allowMixed);
            if (!ids.Add(ext.Id)) throw new SdpParseException(line, $"a=extmap id {ext.Id} used twice in one m-section");
        }

        if (media.Mid is { } mid)
        {
            if (!parse.Mids.Add(mid)) throw new SdpParseException(state.MidLine, $"a=mid '{mid}' is used by two m-sections");
        }

        if (media.Simulcast is { } simulcast)
        {
            // RFC 8853 §5.1: every rid in a=simulcast must be defined by an a=rid line of this m-section.
            foreach (var rid in simulcast.Send.Concat(simulcast.Recv).SelectMany(s => s))
            {
                if (!media.Rids.Exists(r => r.Id == rid.Rid))
                    throw new SdpParseException(state.SimulcastLine, $"a=simulcast names rid '{rid.Rid}' with no a=rid line");
            }
        }
    }

    private static void Validate(ParseState state)
    {
        var session = state.Session!;
        var ids = new HashSet<int>();
        foreach (var (ext, line) in state.SessionExtMapLines)
        {
            CheckExtensionId(ext, line, session.ExtmapAllowMixed);
            if (!ids.Add(ext.Id)) throw new SdpParseException(line, $"a=extmap id {ext.Id} used twice at session level");
        }
        foreach (var (group, line) in state.GroupLines)
        {
            if (group.Semantics != SdpGroup.Bundle) continue;
            // RFC 9143 §7.2 / RFC 8829 §5.8: a BUNDLE group may only name m-sections that exist.
            foreach (var mid in group.Mids)
            {
                if (!state.Mids.Contains(mid))
                    throw new SdpParseException(line, $"a=group:BUNDLE names mid '{mid}' but no m-section has it");
            }
        }
    }

    private static void CheckExtensionId(ExtMap ext, int line, bool allowMixed)
    {
        // RFC 8285 §4.2: without two-byte headers only ids 1..14 fit the one-byte form.
        if (!allowMixed && ext.Id > SdpLimits.MaxOneByteExtensionId)
            throw new SdpParseException(line, $"a=extmap id {ext.Id} is above {SdpLimits.MaxOneByteExtensionId} without a=extmap-allow-mixed");
    }

    private static (string Name, string? Value) SplitAttribute(string line)
    {
        var colon = line.IndexOf(':');
        return colon < 0 ? (line, null) : (line[..colon], line[(colon + 1)..]);
    }

    private static string Required(string name, string? value, int lineNo) =>
        string.IsNullOrEmpty(value) ? throw new SdpParseException(lineNo, $"a={name} needs a value") : value;

    private delegate bool TryParser<T>(string value, out T? result, out string? error);

    private static T Expect<T>(TryParser<T> parser, string value, int lineNo) where T : class =>
        parser(value, out var result, out var error) ? result! : throw new SdpParseException(lineNo, error!);

    /// <summary>"&lt;pt&gt; &lt;rest&gt;" for fmtp and rtcp-fb; pt "*" (rtcp-fb only, RFC 4585 §4.2) comes back as -1.</summary>
    private static (int Pt, string Text) ParsePayloadTypeAndRest(string name, string value, int lineNo, bool allowWildcard)
    {
        var space = value.IndexOf(' ');
        var ptText = space < 0 ? value : value[..space];
        var rest = space < 0 ? "" : value[(space + 1)..].Trim();
        if (allowWildcard && ptText == "*") return (-1, rest);
        if (!SdpToken.TryInt(ptText, 0, SdpLimits.MaxPayloadType, out var pt))
            throw new SdpParseException(lineNo, $"a={name} payload type '{Excerpt(ptText)}' is not 0..{SdpLimits.MaxPayloadType}");
        if (rest.Length == 0 && !allowWildcard)
            throw new SdpParseException(lineNo, $"a={name}:{pt} has no parameters");
        return (pt, rest);
    }

    // RFC 8839 §5.4: ice-ufrag is 4..256 ice-char, ice-pwd 22..256 ice-char (ALPHA / DIGIT / "+" / "/").
    private static string ParseIceUfrag(string? existing, string? value, int lineNo) =>
        ParseIceCredential("ice-ufrag", existing, value, 4, lineNo);

    private static string ParseIcePwd(string? existing, string? value, int lineNo) =>
        ParseIceCredential("ice-pwd", existing, value, 22, lineNo);

    private static string ParseIceCredential(string name, string? existing, string? value, int minLength, int lineNo)
    {
        if (existing is not null) throw new SdpParseException(lineNo, $"more than one a={name}");
        var v = Required(name, value, lineNo);
        if (v.Length < minLength || v.Length > 256)
            throw new SdpParseException(lineNo, $"a={name} must be {minLength}..256 characters, got {v.Length}");
        foreach (var c in v)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/'))
                throw new SdpParseException(lineNo, $"a={name} may only contain letters, digits, '+' and '/'");
        }
        return v;
    }

    private static string[] ParseIceOptions(string? value, int lineNo)
    {
        var options = SdpToken.SplitSpaces(Required("ice-options", value, lineNo));
        foreach (var o in options)
            if (!SdpToken.IsToken(o)) throw new SdpParseException(lineNo, $"a=ice-options '{Excerpt(o)}' is not a token");
        return options;
    }

    private static DtlsSetup ParseSetup(string? value, int lineNo) =>
        DtlsSetupExtensions.TryParse(Required("setup", value, lineNo), out var setup)
            ? setup
            : throw new SdpParseException(lineNo, $"a=setup '{Excerpt(value)}' is not actpass/active/passive/holdconn");

    private sealed class ParseState
    {
        public SessionDescription? Session;
        public readonly HashSet<string> Mids = new(StringComparer.Ordinal);
        public readonly List<(SdpGroup Group, int Line)> GroupLines = new();
        public readonly List<(ExtMap Ext, int Line)> SessionExtMapLines = new();
    }

    private sealed class MediaState(MediaDescription media, int mLine)
    {
        public MediaDescription Media { get; } = media;
        public int MLine { get; } = mLine;
        public MediaDirection? Direction;
        public int MidLine;
        public int SimulcastLine;
        public readonly Dictionary<int, (RtpCodec Codec, int Line)> RtpMaps = new();
        public readonly Dictionary<int, (string Value, int Line)> Fmtps = new();
        public readonly List<(int Pt, string Feedback, int Line)> Feedback = new();
        public readonly List<(ExtMap Ext, int Line)> ExtMapLines = new();
    }
}
