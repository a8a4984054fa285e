using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Sfu.WebRtc.Stun;

/// <summary>
/// The value of XOR-MAPPED-ADDRESS (RFC 8489 §14.2).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                X-Address (Variable)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// X-Port is the port XOR the cookie's top 16 bits; an IPv4 X-Address is XOR the cookie, an IPv6
/// one XOR the cookie followed by the transaction id. The XOR stops NATs that rewrite every copy
/// of their public address in payloads from "fixing" the value (RFC 8489 §14.2).
/// </summary>
internal static class StunXorAddress
{
    public const byte FamilyIPv4 = 0x01;
    public const byte FamilyIPv6 = 0x02;

    /// <summary>
    /// Writes the value; returns its length (8 or 20), or 0 if <paramref name="dest"/> is too small
    /// or the address is neither IPv4 nor IPv6.
    /// </summary>
    public static int Write(Span<byte> dest, IPEndPoint endPoint, ReadOnlySpan<byte> transactionId)
    {
        Span<byte> address = stackalloc byte[16];
        if (!endPoint.Address.TryWriteBytes(address, out int addressLength))
            return 0;

        // A dual-mode socket reports IPv4 peers as ::ffff:a.b.c.d; the browser's candidate is
        // IPv4, so answering with an IPv6 family would give it a peer-reflexive address it never
        // had and break the check pairing.
        if (addressLength == 16 && endPoint.Address.IsIPv4MappedToIPv6)
        {
            address[12..16].CopyTo(address);
            addressLength = 4;
        }
        if (addressLength != 4 && addressLength != 16)
            return 0;

        int length = 4 + addressLength;
        if (dest.Length < length)
            return 0;

        dest[0] = 0;
        dest[1] = addressLength == 4 ? FamilyIPv4 : FamilyIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(dest[2..], (ushort)(endPoint.Port ^ (StunMessage.MagicCookie >> 16)));
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessage.MagicCookie);
        transactionId.CopyTo(mask[4..]);
        for (int i = 0; i < addressLength; i++)
            dest[4 + i] = (byte)(address[i] ^ mask[i]);
        return length;
    }

    public static bool TryRead(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (value.Length < 4 || transactionId.Length != StunMessage.TransactionIdLength)
            return false;
        int addressLength = value[1] switch
        {
            FamilyIPv4 => 4,
            FamilyIPv6 => 16,
            _ => 0,
        };
        if (addressLength == 0 || value.Length != 4 + addressLength)
            return false;

        int port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (int)(StunMessage.MagicCookie >> 16);
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessage.MagicCookie);
        transactionId.CopyTo(mask[4..]);
        Span<byte> address = stackalloc byte[addressLength];
        for (int i = 0; i < addressLength; i++)
            address[i] = (byte)(value[4 + i] ^ mask[i]);
        endPoint = new IPEndPoint(new IPAddress(address), port);
        return true;
    }
}
