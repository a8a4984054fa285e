using System.Buffers.Binary;
using System.Net;

namespace Sfu.E2E.Tests.Robustness;

/// <summary>One UDP datagram out of a capture.</summary>
public sealed record CapturedDatagram(IPAddress Source, int SourcePort, IPAddress Destination, int DestinationPort, byte[] Payload);

/// <summary>
/// Reads the UDP datagrams of a classic libpcap file (what tcpdump -w writes): on <c>lo</c> the link
/// type is Ethernet with zeroed addresses, with <c>-i any</c> it is Linux cooked capture (v1 or v2).
/// </summary>
/// <remarks>
/// <code>
/// global header (24 bytes)                     record header (16 bytes)
/// magic u32  a1b2c3d4 µs | a1b23c4d ns         ts_sec u32
/// version u16 u16, thiszone i32, sigfigs u32   ts_frac u32
/// snaplen u32, linktype u32                    incl_len u32, orig_len u32, then incl_len bytes
/// </code>
/// All fields are in the writer's byte order, which the magic tells.
/// </remarks>
public static class PcapReader
{
    public const uint LinkEthernet = 1;
    public const uint LinkRaw = 101;
    public const uint LinkLinuxSll = 113;
    public const uint LinkLinuxSll2 = 276;

    public static IReadOnlyList<CapturedDatagram> ReadUdp(ReadOnlySpan<byte> file)
    {
        if (file.Length < 24) throw new InvalidDataException($"not a pcap file: {file.Length} bytes");
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        bool little = magic is 0xA1B2C3D4 or 0xA1B23C4D;
        if (!little && BinaryPrimitives.ReadUInt32BigEndian(file) is not (0xA1B2C3D4 or 0xA1B23C4D))
            throw new InvalidDataException($"not a classic pcap file (magic {magic:x8}; pcapng is not read here)");
        uint U32(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);
        var linkType = U32(file[20..]);

        var datagrams = new List<CapturedDatagram>();
        var offset = 24;
        while (offset + 16 <= file.Length)
        {
            var included = (int)U32(file[(offset + 8)..]);
            offset += 16;
            // tcpdump stopped by a signal may leave the last record half written.
            if (included < 0 || offset + included > file.Length) break;
            if (TryNetworkLayer(file.Slice(offset, included), linkType, out var ethertype, out var network)
                && TryUdp(network, ethertype) is { } datagram)
                datagrams.Add(datagram);
            offset += included;
        }
        return datagrams;
    }

    private static bool TryNetworkLayer(ReadOnlySpan<byte> frame, uint linkType, out ushort ethertype, out ReadOnlySpan<byte> network)
    {
        ethertype = 0;
        network = default;
        switch (linkType)
        {
            case LinkEthernet:
                if (frame.Length < 14) return false;
                ethertype = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
                var header = 14;
                if (ethertype == 0x8100 && frame.Length >= 18)
                {
                    ethertype = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
                    header = 18;
                }
                network = frame[header..];
                return true;
            case LinkLinuxSll:
                // packet type u16, ARPHRD u16, address length u16, address 8 bytes, protocol u16.
                if (frame.Length < 16) return false;
                ethertype = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]);
                network = frame[16..];
                return true;
            case LinkLinuxSll2:
                // protocol u16 first, then reserved, interface index, ARPHRD, packet type, address length, address.
                if (frame.Length < 20) return false;
                ethertype = BinaryPrimitives.ReadUInt16BigEndian(frame);
                network = frame[20..];
                return true;
            case LinkRaw:
                if (frame.Length < 1) return false;
                ethertype = (frame[0] >> 4) == 6 ? (ushort)0x86DD : (ushort)0x0800;
                network = frame;
                return true;
            default:
                throw new InvalidDataException($"pcap link type {linkType} is not read here");
        }
    }

    private static CapturedDatagram? TryUdp(ReadOnlySpan<byte> ip, ushort ethertype)
    {
        ReadOnlySpan<byte> udp;
        IPAddress source, destination;
        if (ethertype == 0x0800)
        {
            if (ip.Length < 20 || ip[0] >> 4 != 4) return null;
            var headerLength = (ip[0] & 0x0F) * 4;
            var totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
            var fragment = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
            // Loopback's 64 KiB MTU never fragments media; a fragment's payload is not a whole datagram.
            if (ip[9] != 17 || (fragment & 0x3FFF) != 0 || headerLength < 20 || totalLength > ip.Length || totalLength < headerLength) return null;
            source = new IPAddress(ip.Slice(12, 4));
            destination = new IPAddress(ip.Slice(16, 4));
            udp = ip[headerLength..totalLength];
        }
        else if (ethertype == 0x86DD)
        {
            if (ip.Length < 40 || ip[6] != 17) return null;
            var payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
            if (40 + payloadLength > ip.Length) return null;
            source = new IPAddress(ip.Slice(8, 16));
            destination = new IPAddress(ip.Slice(24, 16));
            udp = ip.Slice(40, payloadLength);
        }
        else
        {
            return null;
        }
        if (udp.Length < 8) return null;
        var udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        if (udpLength < 8 || udpLength > udp.Length) return null;
        return new CapturedDatagram(source, BinaryPrimitives.ReadUInt16BigEndian(udp), destination,
            BinaryPrimitives.ReadUInt16BigEndian(udp[2..]), udp[8..udpLength].ToArray());
    }
}
