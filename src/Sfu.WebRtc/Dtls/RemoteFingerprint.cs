using System.Security.Cryptography;

namespace Sfu.WebRtc.Dtls;

/// <summary>The a=fingerprint the peer announced; the only trust anchor in WebRTC (RFC 8827 §6.5), no CA chain is checked.</summary>
internal sealed class RemoteFingerprint
{
    private readonly byte[] _expected;

    public RemoteFingerprint(string algorithm, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(fingerprint);
        if (!DtlsFingerprint.TryHash(algorithm, [], out var probe))
            throw new ArgumentException($"Unsupported fingerprint hash function '{algorithm}'.", nameof(algorithm));
        if (!DtlsFingerprint.TryParse(fingerprint, out _expected) || _expected.Length != probe.Length)
            throw new ArgumentException($"Malformed {algorithm} fingerprint '{fingerprint}'.", nameof(fingerprint));
        Algorithm = algorithm;
    }

    public string Algorithm { get; }

    public bool Matches(ReadOnlySpan<byte> certificateDer) =>
        DtlsFingerprint.TryHash(Algorithm, certificateDer, out var actual)
        && CryptographicOperations.FixedTimeEquals(actual, _expected);
}
