using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Sfu.WebRtc.Srtp;

/// <summary>
/// AEAD_AES_128_GCM (RFC 7714), 16-byte tag.
/// <code>
/// SRTP  (§8):  | RTP header (AAD) | ciphertext | tag (16) |
/// SRTCP (§9):  | header + sender SSRC (AAD) | ciphertext | tag (16) | E|SRTCP index (4, AAD) |
/// RTP IV  (§8.1):  00 00 | SSRC | ROC | SEQ           XOR 12-byte session salt
/// RTCP IV (§9.1):  00 00 | SSRC | 00 00 | 0|SRTCP idx XOR 12-byte session salt
/// </code>
/// With E clear (§9.3, RFC 3711 §3.4) nothing is encrypted and the whole RTCP packet plus E|index is AAD.
/// </summary>
internal sealed class AesGcmCipher : SrtpCipher
{
    private const int TagLength = 16;
    private const int NonceLength = 12;

    private readonly AesGcm _rtp;
    private readonly AesGcm _rtcp;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public AesGcmCipher(SrtpSessionKeys keys)
    {
        _rtp = new AesGcm(keys.RtpKey, TagLength);
        _rtcp = new AesGcm(keys.RtcpKey, TagLength);
        _rtpSalt = keys.RtpSalt;
        _rtcpSalt = keys.RtcpSalt;
    }

    public override int RtpTagLength => TagLength;
    public override int RtcpTrailerLength => TagLength + 4;
    public override int RtcpIndexOffset(int length) => length - 4;

    public override void ProtectRtp(Span<byte> packet, int headerLength, int payloadEnd, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtpNonce(nonce, ssrc, index);
        Span<byte> payload = packet[headerLength..payloadEnd];
        _rtp.Encrypt(nonce, payload, payload, packet.Slice(payloadEnd, TagLength), packet[..headerLength]);
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtpNonce(nonce, ssrc, index);
        int tagStart = packet.Length - TagLength;
        Span<byte> payload = packet[headerLength..tagStart];
        try
        {
            _rtp.Decrypt(nonce, payload, packet[tagStart..], payload, packet[..headerLength]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public override void ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint srtcpIndex)
    {
        const int prefix = RtpHeaderLayout.RtcpClearPrefixLength;
        uint eAndIndex = 0x8000_0000u | srtcpIndex;
        BinaryPrimitives.WriteUInt32BigEndian(packet[(length + TagLength)..], eAndIndex);
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtcpNonce(nonce, ssrc, srtcpIndex);
        Span<byte> aad = stackalloc byte[prefix + 4];
        packet[..prefix].CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[prefix..], eAndIndex);
        Span<byte> body = packet[prefix..length];
        _rtcp.Encrypt(nonce, body, body, packet.Slice(length, TagLength), aad);
    }

    public override bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint eAndIndex)
    {
        const int prefix = RtpHeaderLayout.RtcpClearPrefixLength;
        int tagStart = packet.Length - 4 - TagLength;
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtcpNonce(nonce, ssrc, eAndIndex & 0x7FFF_FFFFu);
        try
        {
            if ((eAndIndex & 0x8000_0000u) != 0)
            {
                Span<byte> aad = stackalloc byte[prefix + 4];
                packet[..prefix].CopyTo(aad);
                BinaryPrimitives.WriteUInt32BigEndian(aad[prefix..], eAndIndex);
                Span<byte> body = packet[prefix..tagStart];
                _rtcp.Decrypt(nonce, body, packet.Slice(tagStart, TagLength), body, aad);
            }
            else
            {
                // The AAD is the packet followed by E|index, with the tag between them on the wire:
                // move E|index next to the packet (the trailer is cut off afterwards anyway).
                Span<byte> tag = stackalloc byte[TagLength];
                packet.Slice(tagStart, TagLength).CopyTo(tag);
                BinaryPrimitives.WriteUInt32BigEndian(packet[tagStart..], eAndIndex);
                _rtcp.Decrypt(nonce, ReadOnlySpan<byte>.Empty, tag, Span<byte>.Empty, packet[..(tagStart + 4)]);
            }
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private void BuildRtpNonce(Span<byte> nonce, uint ssrc, ulong index)
    {
        nonce[0] = 0;
        nonce[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[6..], (uint)(index >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(nonce[10..], (ushort)index);
        Xor(nonce, _rtpSalt);
    }

    private void BuildRtcpNonce(Span<byte> nonce, uint ssrc, uint srtcpIndex)
    {
        nonce[0] = 0;
        nonce[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        nonce[6] = 0;
        nonce[7] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], srtcpIndex);
        Xor(nonce, _rtcpSalt);
    }

    private static void Xor(Span<byte> nonce, ReadOnlySpan<byte> salt)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(nonce, BinaryPrimitives.ReadUInt64LittleEndian(nonce) ^ BinaryPrimitives.ReadUInt64LittleEndian(salt));
        BinaryPrimitives.WriteUInt32LittleEndian(nonce[8..], BinaryPrimitives.ReadUInt32LittleEndian(nonce[8..]) ^ BinaryPrimitives.ReadUInt32LittleEndian(salt[8..]));
    }

    public override void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }
}
