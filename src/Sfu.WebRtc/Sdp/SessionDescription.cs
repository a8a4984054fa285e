namespace Sfu.WebRtc.Sdp;

/// <summary>
/// A WebRTC session description (RFC 8866 syntax, JSEP RFC 8829 usage). <see cref="Parse"/> reads what browsers
/// send; <see cref="ToString"/> writes CRLF-terminated SDP in canonical order: v, o, s, i/u/e/p, c, b, t/r, z/k,
/// session attributes, then each m-section (m, i, c, b, k, attributes).
/// </summary>
public sealed class SessionDescription
{
    public SessionDescription(Origin origin)
    {
        Origin = origin;
        Timings.Add(SdpTiming.Unbounded);
    }

    public Origin Origin { get; set; }

    /// <summary>s=; JSEP writes "-".</summary>
    public string SessionName { get; set; } = "-";

    public string? Information { get; set; }

    /// <summary>Session-level c= (RFC 8866 §5.7); browsers put it in each m-section instead.</summary>
    public ConnectionData? Connection { get; set; }

    public List<SdpBandwidth> Bandwidths { get; } = new();

    /// <summary>t= lines; a new description starts with <c>t=0 0</c> (and an emptied list is written as that).</summary>
    public List<SdpTiming> Timings { get; } = new();

    /// <summary>u=, e=, p=, z=, k= lines kept as (type, value) and written in their canonical place.</summary>
    public List<KeyValuePair<char, string>> OtherLines { get; } = new();

    public List<SdpGroup> Groups { get; } = new();

    /// <summary>The mids of the first a=group:BUNDLE (RFC 9143 §7.1), or null when nothing is bundled.</summary>
    public IReadOnlyList<string>? BundleGroup => Groups.Find(g => g.Semantics == SdpGroup.Bundle)?.Mids;

    /// <summary>a=ice-lite (RFC 8839 §5.3): the peer only answers checks. An SFU's own descriptions set this.</summary>
    public bool IceLite { get; set; }

    public string? IceUfrag { get; set; }

    public string? IcePwd { get; set; }

    public List<string> IceOptions { get; } = new();

    public List<DtlsFingerprint> Fingerprints { get; } = new();

    /// <summary>Session-level fingerprint (Firefox writes it here); setting replaces all of them.</summary>
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

    /// <summary>a=extmap-allow-mixed at session level (RFC 8285 §6); Chrome writes it here.</summary>
    public bool ExtmapAllowMixed { get; set; }

    /// <summary>Session-level a=extmap lines (RFC 8285 §8), which apply to every m-section.</summary>
    public List<ExtMap> Extensions { get; } = new();

    /// <summary>A session-level direction attribute; it is also applied to m-sections that have none.</summary>
    public MediaDirection? Direction { get; set; }

    /// <summary>Session attributes without a property, in original order (e.g. a=msid-semantic).</summary>
    public List<SdpAttribute> Attributes { get; } = new();

    public List<MediaDescription> Media { get; } = new();

    public MediaDescription? FindMedia(string mid) => Media.Find(m => m.Mid == mid);

    /// <summary>Whether a section is in the BUNDLE group and so shares the first bundled section's transport.</summary>
    public bool IsBundled(MediaDescription media) => media.Mid is { } mid && BundleGroup?.Contains(mid) == true;

    /// <summary>Parses a description; bad input throws <see cref="SdpParseException"/> and nothing else.</summary>
    public static SessionDescription Parse(string sdp) => SdpParser.Parse(sdp);

    public static bool TryParse(string sdp, out SessionDescription? description, out string? error)
    {
        try
        {
            description = SdpParser.Parse(sdp);
            error = null;
            return true;
        }
        catch (SdpParseException e)
        {
            description = null;
            error = e.Message;
            return false;
        }
    }

    public override string ToString() => SdpWriter.Write(this);
}
