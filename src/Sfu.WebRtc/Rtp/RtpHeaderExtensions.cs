using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtp;

/// <summary>Finding and rewriting RFC 8285 header extension elements on packet buffers.</summary>
public static class RtpHeaderExtensions
{
    /// <summary>Elements of the packet's extension block; empty for packets without one or with an unknown profile.</summary>
    public static RtpExtensionEnumerator Enumerate(ReadOnlySpan<byte> packet, in RtpHeader header) => new(packet, header);

    /// <summary>Finds element <paramref name="id"/> (1..14 one-byte, 1..255 two-byte); the value points into the packet.</summary>
    public static bool TryFind(ReadOnlySpan<byte> packet, in RtpHeader header, byte id, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (id == 0)
        {
            return false;
        }

        foreach (var element in new RtpExtensionEnumerator(packet, header))
        {
            if (element.Id == id)
            {
                value = element.Value;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Copies <paramref name="packet"/> into <paramref name="dest"/>, rewriting the extension block:
    /// each element keeps its value under <c>idMap[oldId]</c> (0 drops it). When <paramref name="appendId"/> is not 0,
    /// one element with <paramref name="appendValue"/> is added and any old element mapped to that id is dropped,
    /// so a forwarded packet never carries two values for it (e.g. the transport-wide sequence number).
    /// The output uses the one-byte form when every id is 1..14 and every value 1..16 bytes, else the two-byte form
    /// (profile 0x1000). Blocks with an unknown profile are dropped. CSRCs, payload and RTP padding are copied as they are.
    /// The buffers must not overlap. Returns the bytes written, or -1 if <paramref name="dest"/> is too small.
    /// </summary>
    public static int Rewrite(
        ReadOnlySpan<byte> packet,
        in RtpHeader header,
        ReadOnlySpan<byte> idMap,
        byte appendId,
        ReadOnlySpan<byte> appendValue,
        Span<byte> dest)
    {
        if (idMap.Length < 256)
        {
            throw new ArgumentException("idMap must have 256 entries, one per possible id.", nameof(idMap));
        }

        if (appendId != 0 && appendValue.Length > 255)
        {
            throw new ArgumentException("An extension value holds at most 255 bytes.", nameof(appendValue));
        }

        var elementCount = 0;
        var dataLength = 0;
        var twoByte = false;
        foreach (var element in new RtpExtensionEnumerator(packet, header))
        {
            var newId = idMap[element.Id];
            if (newId == 0 || newId == appendId)
            {
                continue;
            }

            elementCount++;
            dataLength += element.Value.Length;
            twoByte |= NeedsTwoByte(newId, element.Value.Length);
        }

        if (appendId != 0)
        {
            elementCount++;
            dataLength += appendValue.Length;
            twoByte |= NeedsTwoByte(appendId, appendValue.Length);
        }

        var blockLength = elementCount == 0 ? 0 : (elementCount * (twoByte ? 2 : 1) + dataLength + 3) & ~3;
        var prefixLength = RtpHeader.FixedHeaderLength + 4 * header.CsrcCount;
        var tailLength = packet.Length - header.HeaderLength;
        var total = prefixLength + (elementCount == 0 ? 0 : 4 + blockLength) + tailLength;
        if (dest.Length < total)
        {
            return -1;
        }

        packet[..prefixLength].CopyTo(dest);
        var position = prefixLength;
        if (elementCount == 0)
        {
            dest[0] &= 0xEF;
        }
        else
        {
            dest[0] |= 0x10;
            BinaryPrimitives.WriteUInt16BigEndian(
                dest.Slice(position, 2),
                twoByte ? RtpHeader.TwoByteExtensionProfile : RtpHeader.OneByteExtensionProfile);
            BinaryPrimitives.WriteUInt16BigEndian(dest.Slice(position + 2, 2), (ushort)(blockLength / 4));
            position += 4;
            var blockEnd = position + blockLength;
            foreach (var element in new RtpExtensionEnumerator(packet, header))
            {
                var newId = idMap[element.Id];
                if (newId != 0 && newId != appendId)
                {
                    position = WriteElement(dest, position, twoByte, newId, element.Value);
                }
            }

            if (appendId != 0)
            {
                position = WriteElement(dest, position, twoByte, appendId, appendValue);
            }

            dest[position..blockEnd].Clear();
            position = blockEnd;
        }

        packet[header.HeaderLength..].CopyTo(dest[position..]);
        return total;
    }

    private static bool NeedsTwoByte(byte id, int length) => id > 14 || length is < 1 or > 16;

    private static int WriteElement(Span<byte> dest, int position, bool twoByte, byte id, ReadOnlySpan<byte> value)
    {
        if (twoByte)
        {
            dest[position++] = id;
            dest[position++] = (byte)value.Length;
        }
        else
        {
            dest[position++] = (byte)((id << 4) | (value.Length - 1));
        }

        value.CopyTo(dest[position..]);
        return position + value.Length;
    }
}
