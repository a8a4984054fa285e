namespace Sfu.WebRtc.Srtp;

/// <summary>
/// Session keys of one direction, derived once from the master key and salt with the AES-CM PRF of
/// RFC 3711 §4.3.3 and key derivation rate 0 (§4.3.1: "index DIV kdr" is then always zero).
/// AEAD_AES_128_GCM uses the same KDF (RFC 7714 §11); its 96-bit master salt is multiplied by 2^16
/// to form the 112-bit PRF salt (erratum 4938), i.e. padded with two zero octets on the right,
/// which is also what libsrtp and Chromium do.
/// </summary>
internal sealed class SrtpSessionKeys
{
    // RFC 3711 §4.3.2.
    public const byte LabelRtpEncryption = 0x00;
    public const byte LabelRtpAuthentication = 0x01;
    public const byte LabelRtpSalt = 0x02;
    public const byte LabelRtcpEncryption = 0x03;
    public const byte LabelRtcpAuthentication = 0x04;
    public const byte LabelRtcpSalt = 0x05;

    /// <summary>HMAC-SHA1 session authentication key length n_a (RFC 3711 §5.2 default: 160 bits).</summary>
    public const int AuthKeyLength = 20;

    public required byte[] RtpKey { get; init; }
    public required byte[] RtpSalt { get; init; }
    /// <summary>Empty for AEAD profiles: GCM authenticates with the encryption key.</summary>
    public required byte[] RtpAuthKey { get; init; }
    public required byte[] RtcpKey { get; init; }
    public required byte[] RtcpSalt { get; init; }
    public required byte[] RtcpAuthKey { get; init; }

    public static SrtpSessionKeys Derive(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        int keyLength = SrtpKeyMaterial.KeyLength(profile);
        int saltLength = SrtpKeyMaterial.SaltLength(profile);
        if (masterKey.Length != keyLength)
            throw new ArgumentException($"{profile} needs a {keyLength}-byte master key.", nameof(masterKey));
        if (masterSalt.Length != saltLength)
            throw new ArgumentException($"{profile} needs a {saltLength}-byte master salt.", nameof(masterSalt));

        bool aead = profile == SrtpProfile.AeadAes128Gcm;
        int authLength = aead ? 0 : AuthKeyLength;
        using var prf = new AesCounterMode(masterKey);
        return new SrtpSessionKeys
        {
            RtpKey = Derive(prf, masterSalt, LabelRtpEncryption, keyLength),
            RtpAuthKey = Derive(prf, masterSalt, LabelRtpAuthentication, authLength),
            RtpSalt = Derive(prf, masterSalt, LabelRtpSalt, saltLength),
            RtcpKey = Derive(prf, masterSalt, LabelRtcpEncryption, keyLength),
            RtcpAuthKey = Derive(prf, masterSalt, LabelRtcpAuthentication, authLength),
            RtcpSalt = Derive(prf, masterSalt, LabelRtcpSalt, saltLength),
        };
    }

    /// <summary>RFC 3711 §4.3.3: the first <paramref name="length"/> octets of AES-CM(master key, (label || 0^48) XOR master salt, shifted by 16).</summary>
    internal static byte[] Derive(AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        var output = new byte[length];
        if (length == 0)
            return output;
        Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
        iv.Clear();
        masterSalt.CopyTo(iv);
        // key_id = label || r is 56 bits, aligned to the low end of the 112-bit salt: the label lands on octet 7.
        iv[7] ^= label;
        prf.Transform(iv, output);
        return output;
    }
}
