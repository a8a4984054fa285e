using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Dtls;

/// <summary>DTLS 1.2 client side of DTLS-SRTP, used when the remote SDP says a=setup:passive.</summary>
internal sealed class DtlsSrtpClient : DefaultTlsClient
{
    private readonly BcTlsCrypto _crypto;
    private readonly DtlsCertificate _certificate;
    private readonly RemoteFingerprint _remote;
    private readonly IReadOnlyList<SrtpProfile> _profiles;
    private readonly DtlsTransportOptions _options;

    public DtlsSrtpClient(BcTlsCrypto crypto, DtlsCertificate certificate, RemoteFingerprint remote,
        IReadOnlyList<SrtpProfile> profiles, DtlsTransportOptions options, DtlsPeerState state)
        : base(crypto)
    {
        _crypto = crypto;
        _certificate = certificate;
        _remote = remote;
        _profiles = profiles;
        _options = options;
        State = state;
    }

    public DtlsPeerState State { get; }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsCipherSuites.Client);

    // P-256 first: see DtlsSrtpServer.GetSupportedGroups.
    protected override IList<int> GetSupportedGroups(IList<int> namedGroupRoles) => DtlsCrypto.PreferredGroups;

    public override int GetHandshakeTimeoutMillis() => (int)_options.HandshakeTimeout.TotalMilliseconds;

    public override int GetHandshakeResendTimeMillis() => (int)_options.InitialRetransmitTimeout.TotalMilliseconds;

    public override bool RequiresExtendedMasterSecret() => true;

    public override bool ShouldCheckSigAlgOfPeerCerts() => false;

    public override bool IgnoreCorruptDtlsRecords => true;

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, SrtpProfileNegotiation.UseSrtp(SrtpProfileNegotiation.ToWire(_profiles)));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        var chosen = serverExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions);
        if (chosen is null)
            throw State.Fail(DtlsFailureReason.NoCommonSrtpProfile, AlertDescription.handshake_failure,
                "The server did not negotiate use_srtp.");
        // RFC 5764 §4.1.1: exactly one profile, and one we offered.
        if (chosen.ProtectionProfiles.Length != 1
            || !SrtpProfileNegotiation.TrySelect(_profiles, chosen.ProtectionProfiles, out var selected))
            throw State.Fail(DtlsFailureReason.NoCommonSrtpProfile, AlertDescription.illegal_parameter,
                $"The server chose SRTP profiles [{string.Join(", ", chosen.ProtectionProfiles)}] we did not offer.");
        State.SelectedProfile = selected;
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    // BouncyCastle allows the exporter only here (the master secret is erased once the handshake returns).
    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        State.Keys = SrtpProfileNegotiation.Export(m_context, State.SelectedProfile!.Value, isServer: false);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
        State.OnAlertReceived(alertLevel, alertDescription);

    private sealed class Authentication(DtlsSrtpClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
            var chain = serverCertificate.Certificate;
            if (chain is null || chain.IsEmpty)
                throw client.State.Fail(DtlsFailureReason.FingerprintMismatch, AlertDescription.certificate_required,
                    "The server sent no certificate.");
            if (!client._remote.Matches(chain.GetCertificateAt(0).GetEncoded()))
                throw client.State.Fail(DtlsFailureReason.FingerprintMismatch, AlertDescription.bad_certificate,
                    $"The server certificate does not match the {client._remote.Algorithm} fingerprint from its SDP.");
        }

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
            client._certificate.CreateSigner(client.m_context, client._crypto);
    }
}
