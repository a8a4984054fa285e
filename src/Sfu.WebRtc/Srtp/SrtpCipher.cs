namespace Sfu.WebRtc.Srtp;

/// <summary>
/// The per-profile cryptographic transform: encryption and authentication of one packet whose index the
/// context has already settled. Knows the trailer layout of its profile; keeps no per-SSRC state.
/// </summary>
internal abstract class SrtpCipher : IDisposable
{
    /// <summary>Bytes appended to an RTP packet (the authentication tag).</summary>
    public abstract int RtpTagLength { get; }

    /// <summary>Bytes appended to an RTCP packet (E|SRTCP index and the tag).</summary>
    public abstract int RtcpTrailerLength { get; }

    /// <summary>Where the 32-bit E|SRTCP index word sits in an SRTCP packet of <paramref name="length"/> bytes.</summary>
    public abstract int RtcpIndexOffset(int length);

    /// <summary>Encrypts packet[headerLength..payloadEnd] and writes the tag at payloadEnd. packet extends at least RtpTagLength past payloadEnd.</summary>
    public abstract void ProtectRtp(Span<byte> packet, int headerLength, int payloadEnd, uint ssrc, ulong index);

    /// <summary>Verifies the tag at the end of <paramref name="packet"/>, then decrypts the payload in place. False: authentication failed.</summary>
    public abstract bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index);

    /// <summary>Encrypts packet[8..length] and appends the trailer, E bit set. packet extends at least RtcpTrailerLength past length.</summary>
    public abstract void ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint srtcpIndex);

    /// <summary>Verifies the trailer of the SRTCP <paramref name="packet"/> and decrypts in place when E is set. False: authentication failed.</summary>
    public abstract bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint eAndIndex);

    public abstract void Dispose();

    public static SrtpCipher Create(SrtpProfile profile, SrtpSessionKeys keys, bool allowHardware = true) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 => new AesCmHmacSha1Cipher(keys, allowHardware),
        SrtpProfile.AeadAes128Gcm => new AesGcmCipher(keys),
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown SRTP profile."),
    };
}
