using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Dtls;

/// <summary>DTLS 1.2 server side of DTLS-SRTP (RFC 5764) as WebRTC uses it (RFC 8827 §6.5): mutual auth by fingerprint.</summary>
internal sealed class DtlsSrtpServer : DefaultTlsServer
{
    private readonly BcTlsCrypto _crypto;
    private readonly DtlsCertificate _certificate;
    private readonly RemoteFingerprint _remote;
    private readonly IReadOnlyList<SrtpProfile> _profiles;
    private readonly DtlsTransportOptions _options;

    public DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate certificate, RemoteFingerprint remote,
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
        TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsCipherSuites.EcdheEcdsa);

    // P-256 before X25519 for ECDHE (every WebRTC stack offers both): DtlsCrypto runs P-256 on the platform's
    // crypto, while X25519 would stay in BouncyCastle's managed code at several times the cost per handshake.
    public override int[] GetSupportedGroups() => DtlsCrypto.PreferredGroups;

    public override bool PreferLocalSupportedGroups() => true;

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() => _certificate.CreateSigner(m_context, _crypto);

    public override int GetHandshakeTimeoutMillis() => (int)_options.HandshakeTimeout.TotalMilliseconds;

    public override int GetHandshakeResendTimeMillis() => (int)_options.InitialRetransmitTimeout.TotalMilliseconds;

    // Chromium and Firefox always send extended_master_secret (RFC 7627); requiring it rules out the
    // triple-handshake class of attacks on the exported SRTP keys.
    public override bool RequiresExtendedMasterSecret() => true;

    // Peer certificates are self-signed and trusted by fingerprint only; the algorithm that signed them is irrelevant.
    public override bool ShouldCheckSigAlgOfPeerCerts() => false;

    // RFC 6347 §4.1.2.7: invalid records are silently discarded, not fatal; stray or spoofed datagrams reach us over UDP.
    public override bool IgnoreCorruptDtlsRecords => true;

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var offered = clientExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        if (offered is null)
            throw State.Fail(DtlsFailureReason.NoCommonSrtpProfile, AlertDescription.handshake_failure,
                "The client did not offer use_srtp.");
        if (!SrtpProfileNegotiation.TrySelect(_profiles, offered.ProtectionProfiles, out var selected))
            throw State.Fail(DtlsFailureReason.NoCommonSrtpProfile, AlertDescription.handshake_failure,
                $"No common SRTP profile: client offered [{string.Join(", ", offered.ProtectionProfiles)}].");
        State.SelectedProfile = selected;
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetServerExtensions());
        // RFC 5764 §4.1.1: the server's use_srtp carries exactly the one profile it chose.
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, SrtpProfileNegotiation.UseSrtp([(int)State.SelectedProfile!.Value]));
        return extensions;
    }

    // WebRTC authenticates both ends (RFC 8827 §6.5), so the client must present its certificate.
    public override CertificateRequest GetCertificateRequest() => new(
        [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign],
        TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context), null);

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
            throw State.Fail(DtlsFailureReason.FingerprintMismatch, AlertDescription.certificate_required,
                "The client sent no certificate.");
        if (!_remote.Matches(clientCertificate.GetCertificateAt(0).GetEncoded()))
            throw State.Fail(DtlsFailureReason.FingerprintMismatch, AlertDescription.bad_certificate,
                $"The client certificate does not match the {_remote.Algorithm} fingerprint from its SDP.");
    }

    // BouncyCastle allows the exporter only here (the master secret is erased once the handshake returns).
    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        State.Keys = SrtpProfileNegotiation.Export(m_context, State.SelectedProfile!.Value, isServer: true);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
        State.OnAlertReceived(alertLevel, alertDescription);
}
