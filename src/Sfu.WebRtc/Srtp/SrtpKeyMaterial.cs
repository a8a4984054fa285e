namespace Sfu.WebRtc.Srtp;

/// <summary>Key and salt sizes per profile, and the split of the DTLS-SRTP exporter output (RFC 5764 §4.2).</summary>
public static class SrtpKeyMaterial
{
    /// <summary>Master key length in bytes (RFC 3711 §8.2, RFC 7714 §12).</summary>
    public static int KeyLength(SrtpProfile p) => p switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 => 16,
        SrtpProfile.AeadAes128Gcm => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "Unknown SRTP profile."),
    };

    /// <summary>Master salt length in bytes: 112 bits for AES-CM, 96 bits for GCM.</summary>
    public static int SaltLength(SrtpProfile p) => p switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 => 14,
        SrtpProfile.AeadAes128Gcm => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "Unknown SRTP profile."),
    };

    /// <summary>How many bytes to ask the DTLS exporter ("EXTRACTOR-dtls_srtp") for: both directions' keys and salts.</summary>
    public static int KeyingMaterialLength(SrtpProfile p) => 2 * (KeyLength(p) + SaltLength(p));

    /// <summary>
    /// RFC 5764 §4.2: material = client_write_key | server_write_key | client_write_salt | server_write_salt.
    /// Local protects what this side sends, Remote unprotects what the peer sends.
    /// </summary>
    public static (SrtpContext Local, SrtpContext Remote) CreateContexts(SrtpProfile profile, ReadOnlySpan<byte> keyingMaterial, bool isDtlsServer)
    {
        int keyLength = KeyLength(profile);
        int saltLength = SaltLength(profile);
        if (keyingMaterial.Length != 2 * (keyLength + saltLength))
            throw new ArgumentException($"{profile} needs {2 * (keyLength + saltLength)} bytes of keying material.", nameof(keyingMaterial));

        ReadOnlySpan<byte> clientKey = keyingMaterial[..keyLength];
        ReadOnlySpan<byte> serverKey = keyingMaterial.Slice(keyLength, keyLength);
        ReadOnlySpan<byte> clientSalt = keyingMaterial.Slice(2 * keyLength, saltLength);
        ReadOnlySpan<byte> serverSalt = keyingMaterial.Slice(2 * keyLength + saltLength, saltLength);

        var client = new SrtpContext(profile, clientKey, clientSalt);
        var server = new SrtpContext(profile, serverKey, serverSalt);
        return isDtlsServer ? (server, client) : (client, server);
    }
}
