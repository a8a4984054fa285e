using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Sfu.WebRtc.Stun;

/// <summary>
/// Writes a STUN message attribute by attribute into a caller's buffer, keeping the header length
/// current so MESSAGE-INTEGRITY and FINGERPRINT can be computed at any point. If the buffer runs
/// out every later call is a no-op and <see cref="Finish"/> returns 0: callers check once at the end.
/// MESSAGE-INTEGRITY must be added after the attributes it protects, FINGERPRINT last (RFC 8489 §14.5, §14.7).
/// </summary>
public ref struct StunMessageBuilder
{
    private const uint FingerprintXor = 0x5354554E;
    private readonly Span<byte> _buffer;
    private int _length;
    private bool _overflow;

    /// <exception cref="ArgumentException">The transaction id is not 12 bytes (a caller bug, not bad input).</exception>
    public StunMessageBuilder(Span<byte> dest, ushort method, StunMethodClass @class, scoped ReadOnlySpan<byte> transactionId)
    {
        if (transactionId.Length != StunMessage.TransactionIdLength)
            throw new ArgumentException("A STUN transaction id is 12 bytes.", nameof(transactionId));
        _buffer = dest;
        if (dest.Length < StunMessage.HeaderLength)
        {
            _overflow = true;
            return;
        }
        BinaryPrimitives.WriteUInt16BigEndian(dest, StunMessage.EncodeType(method, @class));
        BinaryPrimitives.WriteUInt16BigEndian(dest[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(dest[4..], StunMessage.MagicCookie);
        transactionId.CopyTo(dest[8..]);
        _length = StunMessage.HeaderLength;
    }

    public readonly int Length => _overflow ? 0 : _length;

    /// <summary>Bytes written, or 0 if the buffer was too small for any part of the message.</summary>
    public readonly int Finish() => _overflow ? 0 : _length;

    public void AddAttribute(ushort type, scoped ReadOnlySpan<byte> value) => AddAttribute(type, value, 0);

    /// <summary>Padding may be any value (RFC 8489 §14); RFC 5769's vectors pad with spaces, so tests need the choice.</summary>
    internal void AddAttribute(ushort type, scoped ReadOnlySpan<byte> value, byte padding)
    {
        if (TryReserve(type, value.Length, padding, out Span<byte> slot))
            value.CopyTo(slot);
    }

    public void AddUInt32(ushort type, uint value)
    {
        if (TryReserve(type, 4, 0, out Span<byte> slot))
            BinaryPrimitives.WriteUInt32BigEndian(slot, value);
    }

    public void AddUInt64(ushort type, ulong value)
    {
        if (TryReserve(type, 8, 0, out Span<byte> slot))
            BinaryPrimitives.WriteUInt64BigEndian(slot, value);
    }

    /// <summary>An attribute with no value, such as USE-CANDIDATE.</summary>
    public void AddFlag(ushort type) => TryReserve(type, 0, 0, out _);

    /// <summary>UTF-8 text written straight into the buffer (USERNAME, SOFTWARE); no intermediate array.</summary>
    public void AddUtf8(ushort type, string text) => AddUtf8(type, text, 0);

    internal void AddUtf8(ushort type, string text, byte padding)
    {
        int byteCount = Encoding.UTF8.GetByteCount(text);
        if (byteCount > ushort.MaxValue)
        {
            _overflow = true;
            return;
        }
        if (TryReserve(type, byteCount, padding, out Span<byte> slot))
            Encoding.UTF8.GetBytes(text, slot);
    }

    public void AddXorMappedAddress(IPEndPoint endPoint)
    {
        if (_overflow)
            return;
        // 4 + 16 is the IPv6 size; reserve for the larger and trim once the family is known.
        Span<byte> value = stackalloc byte[20];
        int length = StunXorAddress.Write(value, endPoint, _buffer.Slice(8, StunMessage.TransactionIdLength));
        if (length == 0)
            throw new ArgumentException("XOR-MAPPED-ADDRESS needs an IPv4 or IPv6 endpoint.", nameof(endPoint));
        AddAttribute(StunAttributeType.XorMappedAddress, value[..length]);
    }

    /// <summary>
    /// ERROR-CODE (RFC 8489 §14.8): code 300..699, reason at most 127 characters.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The code or reason is outside what the RFC allows (a caller bug).</exception>
    public void AddErrorCode(int code, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 300);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 699);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reason.Length, 127, nameof(reason));
        int reasonBytes = Encoding.UTF8.GetByteCount(reason);
        if (!TryReserve(StunAttributeType.ErrorCode, 4 + reasonBytes, 0, out Span<byte> slot))
            return;
        slot[0] = 0;
        slot[1] = 0;
        slot[2] = (byte)(code / 100);
        slot[3] = (byte)(code % 100);
        Encoding.UTF8.GetBytes(reason, slot[4..]);
    }

    /// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 §14.9), which goes with a 420 error response.</summary>
    public void AddUnknownAttributes(scoped ReadOnlySpan<ushort> types)
    {
        if (!TryReserve(StunAttributeType.UnknownAttributes, types.Length * 2, 0, out Span<byte> slot))
            return;
        for (int i = 0; i < types.Length; i++)
            BinaryPrimitives.WriteUInt16BigEndian(slot[(i * 2)..], types[i]);
    }

    /// <summary>MESSAGE-INTEGRITY over everything written so far (RFC 8489 §14.5).</summary>
    public void AddMessageIntegrity(scoped ReadOnlySpan<byte> key)
    {
        int protectedLength = _length;
        if (!TryReserve(StunAttributeType.MessageIntegrity, 20, 0, out Span<byte> slot))
            return;
        // TryReserve already set the header length to include this attribute, which is what §14.5 hashes.
        HMACSHA1.HashData(key, _buffer[..protectedLength], slot);
    }

    /// <summary>FINGERPRINT over everything written so far (RFC 8489 §14.7); add it last.</summary>
    public void AddFingerprint()
    {
        int coveredLength = _length;
        if (!TryReserve(StunAttributeType.Fingerprint, 4, 0, out Span<byte> slot))
            return;
        BinaryPrimitives.WriteUInt32BigEndian(slot, StunCrc32.Compute(_buffer[..coveredLength]) ^ FingerprintXor);
    }

    // Writes the TLV header and padding, updates the message length, and hands out the value slot;
    // false (and overflowed from then on) if it does not fit.
    private bool TryReserve(ushort type, int valueLength, byte padding, out Span<byte> slot)
    {
        slot = default;
        int padded = (valueLength + 3) & ~3;
        if (_overflow || valueLength > ushort.MaxValue || _buffer.Length - _length < 4 + padded
            || _length - StunMessage.HeaderLength + 4 + padded > ushort.MaxValue)
        {
            _overflow = true;
            return false;
        }
        Span<byte> attribute = _buffer.Slice(_length, 4 + padded);
        BinaryPrimitives.WriteUInt16BigEndian(attribute, type);
        BinaryPrimitives.WriteUInt16BigEndian(attribute[2..], (ushort)valueLength);
        attribute[(4 + valueLength)..].Fill(padding);
        _length += 4 + padded;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - StunMessage.HeaderLength));
        slot = attribute.Slice(4, valueLength);
        return true;
    }
}
