using System.Buffers.Binary;
using Sfu.WebRtc.Srtp;

namespace Sfu.WebRtc.Tests.Srtp;

/// <summary>Builds plaintext RTP/RTCP packets and context pairs for SRTP tests.</summary>
internal static class SrtpTestPackets
{
    public static readonly byte[] MasterKey = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    public static readonly byte[] MasterSalt14 = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");

    public static byte[] Salt(SrtpProfile profile) => MasterSalt14[..SrtpKeyMaterial.SaltLength(profile)];

    public static (SrtpContext Sender, SrtpContext Receiver) Pair(SrtpProfile profile, bool allowHardware = true)
    {
        var keys = SrtpSessionKeys.Derive(profile, MasterKey, Salt(profile));
        return (new SrtpContext(profile, keys, allowHardware), new SrtpContext(profile, keys, allowHardware));
    }

    /// <summary>RTP packet in a buffer with room for the SRTP tag; payload bytes are a function of seq so corruption shows.</summary>
    public static byte[] RtpPacket(ushort seq, uint ssrc, int payloadLength, int csrcCount = 0, int extensionWords = 0, uint timestamp = 0x01020304)
    {
        int header = 12 + 4 * csrcCount + (extensionWords > 0 ? 4 + 4 * extensionWords : 0);
        var packet = new byte[header + payloadLength];
        packet[0] = (byte)(0x80 | (extensionWords > 0 ? 0x10 : 0) | csrcCount);
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (int i = 0; i < csrcCount; i++)
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12 + 4 * i), 0xC0000000u + (uint)i);
        if (extensionWords > 0)
        {
            int at = 12 + 4 * csrcCount;
            packet[at] = 0xBE;
            packet[at + 1] = 0xDE;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 2), (ushort)extensionWords);
            for (int i = 0; i < 4 * extensionWords; i++)
                packet[at + 4 + i] = (byte)(0x10 + i);
        }
        for (int i = 0; i < payloadLength; i++)
            packet[header + i] = (byte)(seq * 7 + i);
        return packet;
    }

    /// <summary>A sender report (PT 200) from <paramref name="ssrc"/> with <paramref name="extra"/> bytes of report blocks.</summary>
    public static byte[] RtcpPacket(uint ssrc, int extra = 20)
    {
        var packet = new byte[28 + extra];
        packet[0] = 0x80;
        packet[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(packet.Length / 4 - 1));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        for (int i = 8; i < packet.Length; i++)
            packet[i] = (byte)(i * 13);
        return packet;
    }

    public static byte[] WithRoom(byte[] packet, int room = 32)
    {
        var buffer = new byte[packet.Length + room];
        packet.CopyTo(buffer, 0);
        return buffer;
    }

    public static byte[] Protect(SrtpContext sender, byte[] rtp)
    {
        var buffer = WithRoom(rtp);
        Assert.Equal(SrtpResult.Ok, sender.ProtectRtp(buffer, rtp.Length, out int length));
        return buffer[..length];
    }

    public static byte[] ProtectRtcp(SrtpContext sender, byte[] rtcp)
    {
        var buffer = WithRoom(rtcp);
        Assert.Equal(SrtpResult.Ok, sender.ProtectRtcp(buffer, rtcp.Length, out int length));
        return buffer[..length];
    }

    public static (SrtpResult Result, byte[] Plain) Unprotect(SrtpContext receiver, byte[] srtp)
    {
        var buffer = (byte[])srtp.Clone();
        var result = receiver.UnprotectRtp(buffer, buffer.Length, out int length);
        return (result, buffer[..length]);
    }

    public static (SrtpResult Result, byte[] Plain) UnprotectRtcp(SrtpContext receiver, byte[] srtcp)
    {
        var buffer = (byte[])srtcp.Clone();
        var result = receiver.UnprotectRtcp(buffer, buffer.Length, out int length);
        return (result, buffer[..length]);
    }
}
