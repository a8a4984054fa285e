using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Sfu.WebRtc.Srtp;

/// <summary>
/// AES_CM_128_HMAC_SHA1_80 (RFC 3711 §4.1.1, §4.2.1; RFC 5764 §4.1.2).
/// <code>
/// SRTP:  | RTP header | encrypted payload | auth tag (10) |
///        authenticated: header || encrypted payload || ROC (4, not sent)
/// SRTCP: | header + sender SSRC (8) | encrypted rest | E|SRTCP index (4) | auth tag (10) |
///        authenticated: everything before the tag
/// </code>
/// IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), with i the 48-bit SRTP index or the 31-bit SRTCP index.
/// </summary>
internal sealed class AesCmHmacSha1Cipher : SrtpCipher
{
    private const int TagLength = 10;
    private const int Sha1Length = 20;

    private readonly AesCounterMode _rtpCipher;
    private readonly AesCounterMode _rtcpCipher;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;
    private readonly IncrementalHash _rtpMac;
    private readonly IncrementalHash _rtcpMac;

    public AesCmHmacSha1Cipher(SrtpSessionKeys keys, bool allowHardware = true)
    {
        _rtpCipher = new AesCounterMode(keys.RtpKey, allowHardware);
        _rtcpCipher = new AesCounterMode(keys.RtcpKey, allowHardware);
        _rtpSalt = keys.RtpSalt;
        _rtcpSalt = keys.RtcpSalt;
        _rtpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.RtpAuthKey);
        _rtcpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.RtcpAuthKey);
    }

    public override int RtpTagLength => TagLength;
    public override int RtcpTrailerLength => 4 + TagLength;
    public override int RtcpIndexOffset(int length) => length - TagLength - 4;

    public override void ProtectRtp(Span<byte> packet, int headerLength, int payloadEnd, uint ssrc, ulong index)
    {
        Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
        BuildIv(iv, _rtpSalt, ssrc, index);
        _rtpCipher.Transform(iv, packet[headerLength..payloadEnd]);
        // The ROC is authenticated but not sent: put it where the tag goes so the MAC input is one span.
        BinaryPrimitives.WriteUInt32BigEndian(packet[payloadEnd..], (uint)(index >> 16));
        Span<byte> mac = stackalloc byte[Sha1Length];
        Mac(_rtpMac, packet[..(payloadEnd + 4)], mac);
        mac[..TagLength].CopyTo(packet[payloadEnd..]);
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        int authEnd = packet.Length - TagLength;
        Span<byte> received = stackalloc byte[TagLength];
        packet[authEnd..].CopyTo(received);
        BinaryPrimitives.WriteUInt32BigEndian(packet[authEnd..], (uint)(index >> 16));
        Span<byte> mac = stackalloc byte[Sha1Length];
        Mac(_rtpMac, packet[..(authEnd + 4)], mac);
        received.CopyTo(packet[authEnd..]);
        if (!CryptographicOperations.FixedTimeEquals(mac[..TagLength], received))
            return false;

        Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
        BuildIv(iv, _rtpSalt, ssrc, index);
        _rtpCipher.Transform(iv, packet[headerLength..authEnd]);
        return true;
    }

    public override void ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint srtcpIndex)
    {
        Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
        BuildIv(iv, _rtcpSalt, ssrc, srtcpIndex);
        _rtcpCipher.Transform(iv, packet[RtpHeaderLayout.RtcpClearPrefixLength..length]);
        BinaryPrimitives.WriteUInt32BigEndian(packet[length..], 0x8000_0000u | srtcpIndex);
        Span<byte> mac = stackalloc byte[Sha1Length];
        Mac(_rtcpMac, packet[..(length + 4)], mac);
        mac[..TagLength].CopyTo(packet[(length + 4)..]);
    }

    public override bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint eAndIndex)
    {
        int authEnd = packet.Length - TagLength;
        Span<byte> mac = stackalloc byte[Sha1Length];
        Mac(_rtcpMac, packet[..authEnd], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..TagLength], packet[authEnd..]))
            return false;

        if ((eAndIndex & 0x8000_0000u) != 0)
        {
            Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
            BuildIv(iv, _rtcpSalt, ssrc, eAndIndex & 0x7FFF_FFFFu);
            _rtcpCipher.Transform(iv, packet[RtpHeaderLayout.RtcpClearPrefixLength..(authEnd - 4)]);
        }
        return true;
    }

    private static void Mac(IncrementalHash hmac, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        hmac.AppendData(data);
        hmac.GetHashAndReset(mac);
    }

    internal static void BuildIv(Span<byte> iv, ReadOnlySpan<byte> salt, uint ssrc, ulong index)
    {
        iv.Clear();
        salt.CopyTo(iv);
        BinaryPrimitives.WriteUInt32BigEndian(iv[4..], BinaryPrimitives.ReadUInt32BigEndian(iv[4..]) ^ ssrc);
        // The index occupies octets 8..13 (it is multiplied by 2^16), leaving 14..15 to the block counter.
        BinaryPrimitives.WriteUInt64BigEndian(iv[8..], BinaryPrimitives.ReadUInt64BigEndian(iv[8..]) ^ (index << 16));
    }

    public override void Dispose()
    {
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
        _rtpMac.Dispose();
        _rtcpMac.Dispose();
    }
}
