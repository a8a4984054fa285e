using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtp;

/// <summary>
/// Transport-wide sequence number extension value
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): 16 bits, big-endian.
/// </summary>
public static class TransportWideSequence
{
    public const int Length = 2;

    public static bool TryRead(ReadOnlySpan<byte> value, out ushort sequenceNumber)
    {
        if (value.Length < Length)
        {
            sequenceNumber = 0;
            return false;
        }

        sequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(value);
        return true;
    }

    public static int Write(Span<byte> dest, ushort sequenceNumber)
    {
        if (dest.Length < Length)
        {
            return -1;
        }

        BinaryPrimitives.WriteUInt16BigEndian(dest, sequenceNumber);
        return Length;
    }
}
