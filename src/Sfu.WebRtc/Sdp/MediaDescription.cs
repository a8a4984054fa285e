namespace Sfu.WebRtc.Sdp;

/// <summary>
/// One m-section: <c>m=&lt;media&gt; &lt;port&gt;[/&lt;count&gt;] &lt;proto&gt; &lt;fmt&gt; ...</c> (RFC 8866 §5.14) and everything
/// up to the next m= line. Attributes WebRTC relies on are properties; the rest stay in <see cref="OtherAttributes"/>
/// and are written back unchanged.
/// </summary>
public sealed class MediaDescription
{
    public MediaDescription(string kind, int port, string protocol)
    {
        Kind = kind;
        Port = port;
        Protocol = protocol;
    }

    /// <summary>audio, video or application (others such as text are kept as written).</summary>
    public string Kind { get; set; }

    /// <summary>0 rejects or disables the section (RFC 8829 §5.3.1); 9 is the JSEP placeholder with ICE.</summary>
    public int Port { get; set; }

    /// <summary>The optional <c>/&lt;number of ports&gt;</c> after the port; WebRTC never uses it.</summary>
    public int? PortCount { get; set; }

    /// <summary>e.g. UDP/TLS/RTP/SAVPF or UDP/DTLS/SCTP.</summary>
    public string Protocol { get; set; }

    /// <summary>
    /// The m-line's fmt list as parsed: RTP payload types for RTP protocols, "webrtc-datachannel" for SCTP.
    /// For an RTP section with codecs the writer lists <see cref="Codecs"/> instead; see <see cref="EffectiveFormats"/>.
    /// </summary>
    public List<string> Formats { get; } = new();

    /// <summary>
    /// The fmt list the m-line is written with. For an RTP section the codec list is the truth, so removing or
    /// reordering codecs (as an answer does) cannot leave the m-line out of step. A rejected section, or one
    /// without codecs, keeps <see cref="Formats"/>.
    /// </summary>
    public IReadOnlyList<string> EffectiveFormats =>
        IsRtp && Codecs.Count > 0 && !IsRejected ? Codecs.Select(c => SdpToken.Str(c.PayloadType)).ToList() : Formats;

    public string? Information { get; set; }

    public ConnectionData? Connection { get; set; }

    public List<SdpBandwidth> Bandwidths { get; } = new();

    /// <summary>a=mid (RFC 5888 §4); JSEP puts one in every m-section.</summary>
    public string? Mid { get; set; }

    /// <summary>The direction attribute; when a section had none, the session-level one, else sendrecv (RFC 8866 §6.7).</summary>
    public MediaDirection Direction { get; set; } = MediaDirection.SendRecv;

    public string? IceUfrag { get; set; }

    public string? IcePwd { get; set; }

    /// <summary>a=ice-options tokens (e.g. "trickle", "renomination"), RFC 8839 §5.6.</summary>
    public List<string> IceOptions { get; } = new();

    /// <summary>All a=fingerprint lines; RFC 8122 §5 allows one per hash function.</summary>
    public List<DtlsFingerprint> Fingerprints { get; } = new();

    /// <summary>The first fingerprint; setting replaces all of them.</summary>
    public DtlsFingerprint? Fingerprint
    {
        get => Fingerprints.Count > 0 ? Fingerprints[0] : null;
        set
        {
            Fingerprints.Clear();
            if (value is not null) Fingerprints.Add(value);
        }
    }

    public DtlsSetup? Setup { get; set; }

    public bool RtcpMux { get; set; }

    /// <summary>a=rtcp-mux-only (RFC 8858): the offerer will not fall back to a separate RTCP port.</summary>
    public bool RtcpMuxOnly { get; set; }

    /// <summary>a=rtcp-rsize (RFC 5506): reduced-size RTCP allowed.</summary>
    public bool RtcpRsize { get; set; }

    /// <summary>a=end-of-candidates (RFC 8840 §8.2): gathering finished, no more trickled candidates for this section.</summary>
    public bool EndOfCandidates { get; set; }

    /// <summary>a=extmap-allow-mixed at media level (RFC 8285 §6): one- and two-byte header extensions may be mixed.</summary>
    public bool ExtmapAllowMixed { get; set; }

    /// <summary>Codecs in m-line format order. For RTP sections only.</summary>
    public List<RtpCodec> Codecs { get; } = new();

    /// <summary>a=rtcp-fb:* lines (RFC 4585 §4.2): feedback that applies to every payload type.</summary>
    public List<string> WildcardRtcpFeedback { get; } = new();

    public List<ExtMap> Extensions { get; } = new();

    public List<SsrcAttribute> Ssrcs { get; } = new();

    public List<SsrcGroup> SsrcGroups { get; } = new();

    public List<Msid> Msids { get; } = new();

    public List<RidDescription> Rids { get; } = new();

    public SimulcastDescription? Simulcast { get; set; }

    public List<IceCandidate> Candidates { get; } = new();

    /// <summary>a=sctp-port (RFC 8841 §5) for the data channel section.</summary>
    public int? SctpPort { get; set; }

    /// <summary>a=max-message-size (RFC 8841 §6).</summary>
    public ulong? MaxMessageSize { get; set; }

    /// <summary>Attributes without a property, in their original order (e.g. a=rtcp, a=rtcp-xr).</summary>
    public List<SdpAttribute> OtherAttributes { get; } = new();

    /// <summary>Lines of types other than c/b/i/a (only k= is legal here), kept as (type, value).</summary>
    public List<KeyValuePair<char, string>> OtherLines { get; } = new();

    public bool IsRtp => Protocol.Contains("RTP/", StringComparison.OrdinalIgnoreCase);

    public bool IsDataChannel => Protocol.Contains("SCTP", StringComparison.OrdinalIgnoreCase);

    /// <summary>A port of zero marks a rejected or removed section (RFC 8829 §5.2.2, RFC 3264 §6).</summary>
    public bool IsRejected => Port == 0;

    public RtpCodec? FindCodec(int payloadType) => Codecs.Find(c => c.PayloadType == payloadType);

    /// <summary>Codecs with the given encoding name, in preference order (e.g. all "H264" variants).</summary>
    public IEnumerable<RtpCodec> CodecsNamed(string name) => Codecs.Where(c => c.Is(name));

    /// <summary>The RTX codec whose apt points at <paramref name="payloadType"/>.</summary>
    public RtpCodec? FindRtxFor(int payloadType) => Codecs.Find(c => c.Is("rtx") && c.Apt == payloadType);

    /// <summary>The negotiated header extension id for a URI, or null.</summary>
    public int? GetExtensionId(string uri) => Extensions.Find(e => e.Uri == uri)?.Id;

    /// <summary>The a=ssrc attribute value for an SSRC, e.g. ("cname").</summary>
    public string? GetSsrcAttribute(uint ssrc, string attribute) =>
        Ssrcs.Find(s => s.Ssrc == ssrc && s.Attribute == attribute)?.Value;

    /// <summary>Distinct SSRCs announced by a=ssrc lines, in order of first appearance.</summary>
    public IReadOnlyList<uint> SsrcIds => Ssrcs.Select(s => s.Ssrc).Distinct().ToList();

    /// <summary>The RTX SSRC paired with a media SSRC by an FID group.</summary>
    public uint? RtxSsrcFor(uint mediaSsrc) =>
        SsrcGroups.Find(g => g.Semantics == SsrcGroup.Fid && g.Ssrcs.Count >= 2 && g.Ssrcs[0] == mediaSsrc)?.Ssrcs[1];

    // Session-level fallbacks: RFC 8839 §5.4 allows ice-ufrag/ice-pwd at session level and RFC 8122 §5 the
    // fingerprint; Firefox writes the fingerprint there. Media-level values win.
    public string? EffectiveIceUfrag(SessionDescription session) => IceUfrag ?? session.IceUfrag;

    public string? EffectiveIcePwd(SessionDescription session) => IcePwd ?? session.IcePwd;

    public DtlsFingerprint? EffectiveFingerprint(SessionDescription session) => Fingerprint ?? session.Fingerprint;

    public IReadOnlyList<DtlsFingerprint> EffectiveFingerprints(SessionDescription session) =>
        Fingerprints.Count > 0 ? Fingerprints : session.Fingerprints;

    public DtlsSetup? EffectiveSetup(SessionDescription session) => Setup ?? session.Setup;

    public IReadOnlyList<string> EffectiveIceOptions(SessionDescription session) =>
        IceOptions.Count > 0 ? IceOptions : session.IceOptions;

    /// <summary>Whether two-byte header extensions may be used (RFC 8285 §6: session- or media-level extmap-allow-mixed).</summary>
    public bool EffectiveExtmapAllowMixed(SessionDescription session) => ExtmapAllowMixed || session.ExtmapAllowMixed;

    public override string ToString() => $"m={Kind} {Port} {Protocol} {string.Join(' ', Formats)} (mid {Mid ?? "none"})";
}
