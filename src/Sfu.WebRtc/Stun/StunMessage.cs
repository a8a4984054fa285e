using System.Buffers.Binary;

namespace Sfu.WebRtc.Stun;

/// <summary>
/// STUN header constants and the cheap demultiplexing test.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                     Transaction ID (96 bits)                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///                    RFC 8489 §5, Figure 2
/// </code>
/// </summary>
public static class StunMessage
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112A442;
    public const int TransactionIdLength = 12;

    /// <summary>
    /// RFC 7983 §7 demultiplexing: STUN occupies first bytes 0..3 (DTLS 20..63, RTP/RTCP 128..191).
    /// The cookie and the length checks (RFC 8489 §5, §6.3) keep a stray datagram that happens to
    /// start with 0..3 from being taken for STUN.
    /// </summary>
    public static bool IsStun(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < HeaderLength || datagram[0] > 3)
            return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        return (length & 3) == 0
            && datagram.Length == HeaderLength + length
            && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == MagicCookie;
    }

    /// <summary>Packs method and class into the 14-bit type: M11..M7 C1 M6..M4 C0 M3..M0 (RFC 8489 §5, Figure 3).</summary>
    public static ushort EncodeType(ushort method, StunMethodClass @class)
    {
        int c = (int)@class;
        return (ushort)((method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
                        | ((c & 1) << 4) | ((c & 2) << 7));
    }

    public static ushort DecodeMethod(ushort type) =>
        (ushort)((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));

    public static StunMethodClass DecodeClass(ushort type) =>
        (StunMethodClass)(((type >> 4) & 1) | ((type >> 7) & 2));
}
