using System.Buffers.Binary;
using Sfu.WebRtc.Srtp;

namespace Sfu.Relay;

/// <summary>
/// The bare relays' control datagrams, shared by bench/Sfu.Relay and the load generator. First byte 1 (outside
/// RTP/RTCP's 128-191, RFC 7983 §7) registers the sender for a room; the relay answers with first byte 2.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  type (1 or 2)|  role 'P'/'S' |       room (32 bits) ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     ... room    |
/// +-+-+-+-+-+-+-+-+
/// </code>
/// SRTP keys are pre-shared (<see cref="KeyingMaterial"/>, laid out as DTLS-SRTP's exporter output, RFC 5764
/// §4.2): clients use the DTLS-client half of <see cref="SrtpKeyMaterial.CreateContexts"/>, the relay the server
/// half, so a relay hop does the same unprotect + re-protect work as an SFU hop with no handshake in the way.
/// </summary>
public static class RelayProtocol
{
    public const byte Register = 1;
    public const byte Registered = 2;
    public const byte Publisher = (byte)'P';
    public const byte Subscriber = (byte)'S';
    public const int Length = 6;
    public const SrtpProfile Profile = SrtpProfile.AeadAes128Gcm;

    public static int Write(Span<byte> dest, byte type, byte role, uint room)
    {
        dest[0] = type;
        dest[1] = role;
        BinaryPrimitives.WriteUInt32BigEndian(dest[2..], room);
        return Length;
    }

    public static bool TryParse(ReadOnlySpan<byte> datagram, out byte type, out byte role, out uint room)
    {
        type = role = 0;
        room = 0;
        if (datagram.Length < Length || datagram[0] is not (Register or Registered) || datagram[1] is not (Publisher or Subscriber)) return false;
        type = datagram[0];
        role = datagram[1];
        room = BinaryPrimitives.ReadUInt32BigEndian(datagram[2..]);
        return true;
    }

    /// <summary>Fixed benchmark keys: this is a measurement rig, not a secure channel.</summary>
    public static byte[] KeyingMaterial()
    {
        var material = new byte[SrtpKeyMaterial.KeyingMaterialLength(Profile)];
        for (var i = 0; i < material.Length; i++) material[i] = (byte)(i * 37 + 11);
        return material;
    }
}
