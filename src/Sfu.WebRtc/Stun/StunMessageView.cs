using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;

namespace Sfu.WebRtc.Stun;

/// <summary>
/// A parsed STUN message: the attributes ICE needs, as spans into the datagram (no allocation).
/// Attributes follow the 20-byte header (see <see cref="StunMessage"/>), each a TLV padded to 4 bytes:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Type                  |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Value (variable)                ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///                    RFC 8489 §14, Figure 4
/// </code>
/// Length excludes the padding; padding bytes may hold any value (RFC 5769's vectors use spaces).
/// Where an attribute repeats, only the first occurrence counts (RFC 8489 §14).
/// </summary>
public readonly ref struct StunMessageView
{
    private const uint FingerprintXor = 0x5354554E; // "STUN", RFC 8489 §14.7
    private const int HmacSha1Length = 20;
    // Copies of the integrity-protected prefix fit on the stack for any datagram under the usual MTU.
    private const int StackCopyLimit = 1500;

    private readonly ReadOnlySpan<byte> _message;

    private StunMessageView(ReadOnlySpan<byte> message) => _message = message;

    /// <summary>The whole message, header included.</summary>
    public ReadOnlySpan<byte> Raw => _message;

    public ushort Method { get; private init; }
    public StunMethodClass Class { get; private init; }
    public ReadOnlySpan<byte> TransactionId =>
        _message.Length >= StunMessage.HeaderLength ? _message.Slice(8, StunMessage.TransactionIdLength) : default;

    private int UsernameOffset { get; init; }
    private int UsernameLength { get; init; }
    /// <summary>
    /// Raw UTF-8 USERNAME; empty if absent. In a connectivity check it is the receiver's ufrag, ':',
    /// the sender's ufrag (RFC 8445 §7.2.2), so on the SFU "localUfrag:remoteUfrag".
    /// </summary>
    public ReadOnlySpan<byte> Username => HasUsername ? _message.Slice(UsernameOffset, UsernameLength) : default;
    public bool HasUsername { get; private init; }

    /// <summary>
    /// Splits USERNAME at its first ':' (ice-char excludes ':', so there is exactly one in a valid
    /// check). False if USERNAME is absent or has no ':'.
    /// </summary>
    public bool TrySplitUsername(out ReadOnlySpan<byte> receiverUfrag, out ReadOnlySpan<byte> senderUfrag)
    {
        ReadOnlySpan<byte> username = Username;
        int colon = username.IndexOf((byte)':');
        if (colon < 0)
        {
            receiverUfrag = senderUfrag = default;
            return false;
        }
        receiverUfrag = username[..colon];
        senderUfrag = username[(colon + 1)..];
        return true;
    }

    public uint Priority { get; private init; }
    public bool HasPriority { get; private init; }
    public bool UseCandidate { get; private init; }
    public bool HasIceControlling { get; private init; }
    public bool HasIceControlled { get; private init; }
    /// <summary>The tie-breaker of ICE-CONTROLLING or ICE-CONTROLLED, whichever came first.</summary>
    public ulong TieBreaker { get; private init; }

    private int IntegrityOffset { get; init; }
    private int FingerprintOffset { get; init; }
    public bool HasMessageIntegrity => IntegrityOffset > 0;
    public bool HasFingerprint => FingerprintOffset > 0;

    /// <summary>Class * 100 + number from ERROR-CODE (RFC 8489 §14.8), or 0 if absent.</summary>
    public int ErrorCode { get; private init; }
    private int ErrorReasonOffset { get; init; }
    private int ErrorReasonLength { get; init; }
    /// <summary>The UTF-8 reason phrase of ERROR-CODE; empty if absent.</summary>
    public ReadOnlySpan<byte> ErrorReason => ErrorCode != 0 ? _message.Slice(ErrorReasonOffset, ErrorReasonLength) : default;

    private int XorMappedOffset { get; init; }
    private int XorMappedLength { get; init; }
    public bool HasXorMappedAddress => XorMappedOffset > 0;

    /// <summary>
    /// The first comprehension-required attribute type this parser does not know, or 0. A server
    /// answers a request carrying one with 420 Unknown Attribute (RFC 8489 §6.3.1).
    /// </summary>
    public ushort UnknownRequiredAttribute { get; private init; }

    /// <summary>
    /// Parses one datagram. Returns false, never throws, on anything malformed: a header that fails
    /// <see cref="StunMessage.IsStun"/>, an attribute or its padding running past the end, a known
    /// attribute with the wrong length, an invalid ERROR-CODE, or anything after FINGERPRINT
    /// (which must be last, RFC 8489 §14.7). Attributes after MESSAGE-INTEGRITY other than
    /// FINGERPRINT and MESSAGE-INTEGRITY-SHA256 are ignored, as RFC 8489 §14.5 requires.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out StunMessageView message)
    {
        message = default;
        if (!StunMessage.IsStun(datagram))
            return false;

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        int usernameOffset = 0, usernameLength = 0, integrityOffset = 0, fingerprintOffset = 0;
        int errorCode = 0, reasonOffset = 0, reasonLength = 0, xorOffset = 0, xorLength = 0;
        uint priority = 0;
        ulong tieBreaker = 0;
        bool hasUsername = false, hasPriority = false, useCandidate = false, controlling = false, controlled = false;
        ushort unknownRequired = 0;

        int offset = StunMessage.HeaderLength;
        while (offset < datagram.Length)
        {
            if (fingerprintOffset != 0 || datagram.Length - offset < 4)
                return false;
            ushort attrType = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            int padded = (length + 3) & ~3;
            if (padded > datagram.Length - offset - 4)
                return false;
            int valueOffset = offset + 4;
            ReadOnlySpan<byte> value = datagram.Slice(valueOffset, length);

            if (attrType == StunAttributeType.Fingerprint)
            {
                if (length != 4)
                    return false;
                fingerprintOffset = offset;
            }
            else if (integrityOffset != 0)
            {
                // RFC 8489 §14.5: only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count after MESSAGE-INTEGRITY.
                if (attrType == StunAttributeType.MessageIntegritySha256 && !IsValidSha256Length(length))
                    return false;
            }
            else
            {
                switch (attrType)
                {
                    case StunAttributeType.Username:
                        if (!hasUsername)
                        {
                            hasUsername = true;
                            usernameOffset = valueOffset;
                            usernameLength = length;
                        }
                        break;
                    case StunAttributeType.MessageIntegrity:
                        if (length != HmacSha1Length)
                            return false;
                        integrityOffset = offset;
                        break;
                    case StunAttributeType.MessageIntegritySha256:
                        if (!IsValidSha256Length(length))
                            return false;
                        break;
                    case StunAttributeType.Priority:
                        if (length != 4)
                            return false;
                        if (!hasPriority)
                        {
                            hasPriority = true;
                            priority = BinaryPrimitives.ReadUInt32BigEndian(value);
                        }
                        break;
                    case StunAttributeType.UseCandidate:
                        if (length != 0)
                            return false;
                        useCandidate = true;
                        break;
                    case StunAttributeType.IceControlling:
                    case StunAttributeType.IceControlled:
                        if (length != 8)
                            return false;
                        if (!controlling && !controlled)
                            tieBreaker = BinaryPrimitives.ReadUInt64BigEndian(value);
                        if (attrType == StunAttributeType.IceControlling)
                            controlling = true;
                        else
                            controlled = true;
                        break;
                    case StunAttributeType.ErrorCode:
                        // Reserved(21 bits) Class(3 bits) Number(8 bits) Reason; class 3..6, number 0..99.
                        if (length < 4)
                            return false;
                        int errorClass = value[2] & 0x07, number = value[3];
                        if (errorClass < 3 || errorClass > 6 || number > 99)
                            return false;
                        if (errorCode == 0)
                        {
                            errorCode = errorClass * 100 + number;
                            reasonOffset = valueOffset + 4;
                            reasonLength = length - 4;
                        }
                        break;
                    case StunAttributeType.XorMappedAddress:
                        if (xorOffset == 0)
                        {
                            xorOffset = valueOffset;
                            xorLength = length;
                        }
                        break;
                    case StunAttributeType.MappedAddress:
                    case StunAttributeType.UnknownAttributes:
                        break;
                    default:
                        if (unknownRequired == 0 && StunAttributeType.IsComprehensionRequired(attrType))
                            unknownRequired = attrType;
                        break;
                }
            }
            offset = valueOffset + padded;
        }

        message = new StunMessageView(datagram)
        {
            Method = StunMessage.DecodeMethod(type),
            Class = StunMessage.DecodeClass(type),
            HasUsername = hasUsername,
            UsernameOffset = usernameOffset,
            UsernameLength = usernameLength,
            Priority = priority,
            HasPriority = hasPriority,
            UseCandidate = useCandidate,
            HasIceControlling = controlling,
            HasIceControlled = controlled,
            TieBreaker = tieBreaker,
            IntegrityOffset = integrityOffset,
            FingerprintOffset = fingerprintOffset,
            ErrorCode = errorCode,
            ErrorReasonOffset = reasonOffset,
            ErrorReasonLength = reasonLength,
            XorMappedOffset = xorOffset,
            XorMappedLength = xorLength,
            UnknownRequiredAttribute = unknownRequired,
        };
        return true;
    }

    // RFC 8489 §14.6: a possibly truncated HMAC-SHA256, at least 16 bytes and a multiple of 4.
    private static bool IsValidSha256Length(int length) => length is >= 16 and <= 32 && (length & 3) == 0;

    /// <summary>
    /// RFC 8489 §14.5: HMAC-SHA1 over the header and every attribute before MESSAGE-INTEGRITY, with
    /// the header's length field set as if MESSAGE-INTEGRITY were the last attribute (so a FINGERPRINT
    /// added afterwards does not change the hash). For ICE's short-term credentials the key is the
    /// password's UTF-8 bytes (RFC 8445 §7.2.2; ice-pwd is ASCII, so OpaqueString changes nothing).
    /// Returns false if the attribute is absent.
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (!HasMessageIntegrity)
            return false;
        int prefixLength = IntegrityOffset;
        byte[]? rented = null;
        Span<byte> prefix = prefixLength <= StackCopyLimit
            ? stackalloc byte[StackCopyLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(prefixLength));
        prefix = prefix[..prefixLength];
        try
        {
            _message[..prefixLength].CopyTo(prefix);
            BinaryPrimitives.WriteUInt16BigEndian(prefix[2..], (ushort)(prefixLength - StunMessage.HeaderLength + 4 + HmacSha1Length));
            Span<byte> hmac = stackalloc byte[HmacSha1Length];
            HMACSHA1.HashData(key, prefix, hmac);
            return CryptographicOperations.FixedTimeEquals(hmac, _message.Slice(IntegrityOffset + 4, HmacSha1Length));
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// RFC 8489 §14.7: CRC-32 of everything before FINGERPRINT (length field covering FINGERPRINT)
    /// XOR 0x5354554E. Returns false if the attribute is absent.
    /// </summary>
    public bool VerifyFingerprint()
    {
        if (!HasFingerprint)
            return false;
        Span<byte> header = stackalloc byte[StunMessage.HeaderLength];
        _message[..StunMessage.HeaderLength].CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(FingerprintOffset - StunMessage.HeaderLength + 8));
        uint crc = StunCrc32.Update(StunCrc32.Initial, header);
        crc = StunCrc32.Update(crc, _message[StunMessage.HeaderLength..FingerprintOffset]);
        uint expected = StunCrc32.Finish(crc) ^ FingerprintXor;
        return BinaryPrimitives.ReadUInt32BigEndian(_message[(FingerprintOffset + 4)..]) == expected;
    }

    /// <summary>Decodes XOR-MAPPED-ADDRESS (IPv4 or IPv6); false if absent or malformed. Allocates the result.</summary>
    public bool TryGetXorMappedAddress([NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        return HasXorMappedAddress
            && StunXorAddress.TryRead(_message.Slice(XorMappedOffset, XorMappedLength), TransactionId, out endPoint);
    }
}
