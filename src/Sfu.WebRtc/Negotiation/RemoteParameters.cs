using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Negotiation;

internal static class RemoteParameters
{
    /// <summary>
    /// Reads ICE credentials and the DTLS fingerprint (media level first, then session level, where Firefox puts
    /// them) and works out our DTLS role from a=setup (RFC 8842 §5: actpass lets the answerer choose; we choose
    /// passive = DTLS server, the role browsers expect of a server).
    /// </summary>
    public static RemoteTransportParameters From(SessionDescription sdp, bool offering)
    {
        var m = sdp.Media.FirstOrDefault(x => x.Port != 0) ?? throw new NegotiationException("no usable m-section");
        var ufrag = m.IceUfrag ?? sdp.IceUfrag ?? throw new NegotiationException("missing a=ice-ufrag");
        var pwd = m.IcePwd ?? sdp.IcePwd ?? throw new NegotiationException("missing a=ice-pwd");
        var fingerprint = m.Fingerprint ?? sdp.Fingerprint ?? throw new NegotiationException("missing a=fingerprint");
        if (!fingerprint.Algorithm.Equals("sha-256", StringComparison.OrdinalIgnoreCase))
            throw new NegotiationException($"unsupported fingerprint algorithm {fingerprint.Algorithm} (sha-256 required)");
        var setup = (m.Setup ?? sdp.Setup ?? DtlsSetup.ActPass).ToSdp();
        var role = setup switch
        {
            "actpass" when offering => DtlsRole.Server,
            "active" => DtlsRole.Server,
            "passive" => DtlsRole.Client,
            "actpass" => throw new NegotiationException("an answer must not use a=setup:actpass"),
            _ => throw new NegotiationException($"invalid a=setup:{setup}"),
        };
        return new RemoteTransportParameters(ufrag, pwd, fingerprint.Algorithm, fingerprint.Value, role);
    }
}
