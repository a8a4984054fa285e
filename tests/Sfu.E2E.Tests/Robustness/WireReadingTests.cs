using System.Buffers.Binary;
using System.Net;

namespace Sfu.E2E.Tests.Robustness;

/// <summary>The capture reading the SRTP test relies on, checked against hand-built frames, so that
/// "no plaintext keyframe found" means none was there rather than that the reader missed it.</summary>
public sealed class WireReadingTests
{
    private static readonly byte[] Datagram = [1, 2, 3, 4, 5, 6, 7];

    [Theory]
    [InlineData(PcapReader.LinkEthernet, false)]
    [InlineData(PcapReader.LinkEthernet, true)]
    [InlineData(PcapReader.LinkLinuxSll, false)]
    [InlineData(PcapReader.LinkLinuxSll2, true)]
    [InlineData(PcapReader.LinkRaw, false)]
    public void Pcap_reader_finds_udp_datagrams_and_stops_at_a_half_written_record(uint linkType, bool bigEndian)
    {
        var frame = LinkHeader(linkType).Concat(Ipv4Udp(40000, 50000, Datagram)).ToArray();
        var tcp = LinkHeader(linkType).Concat(Ipv4Udp(40000, 50000, Datagram)).ToArray();
        tcp[LinkHeader(linkType).Length + 9] = 6;
        var file = new List<byte>(GlobalHeader(linkType, bigEndian));
        file.AddRange(Record(frame, bigEndian));
        file.AddRange(Record(tcp, bigEndian));
        file.AddRange(Record(frame, bigEndian));
        file.AddRange(Record(frame, bigEndian).Take(16 + frame.Length / 2));

        var datagrams = PcapReader.ReadUdp(file.ToArray());

        Assert.Equal(2, datagrams.Count);
        Assert.All(datagrams, d =>
        {
            Assert.Equal((IPAddress.Loopback, 40000, IPAddress.Loopback, 50000), (d.Source, d.SourcePort, d.Destination, d.DestinationPort));
            Assert.Equal(Datagram, d.Payload);
        });
    }

    [Fact]
    public void Pcap_reader_refuses_what_is_not_a_classic_pcap()
    {
        Assert.Throws<InvalidDataException>(() => PcapReader.ReadUdp(new byte[10]));
        Assert.Throws<InvalidDataException>(() => PcapReader.ReadUdp([0x0A, 0x0D, 0x0D, 0x0A, .. new byte[40]]));
    }

    [Fact]
    public void Vp8_start_code_is_found_in_a_plaintext_keyframe_and_not_once_the_payload_is_scrambled()
    {
        var random = new Random(7);
        // X, S, PID 0; I with a 15-bit picture id (M), L, T: the longest descriptor (6 bytes).
        byte[] descriptor = [0x90, 0xE0, 0x80 | 0x12, 0x34, 0x05, 0x40];
        byte[] frameTag = [0x50, 0x42, 0x00];
        byte[] rtp =
        [
            0x90, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
            0xBE, 0xDE, 0, 1, 0x10, 0xAB, 0, 0,
            .. descriptor, .. frameTag, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01,
        ];
        Assert.True(RtpWire.IsRtp(rtp));
        Assert.True(RtpWire.TryPayloadOffset(rtp, out var offset));
        Assert.Equal(20, offset);
        Assert.True(RtpWire.HasVp8StartCodeInClear(rtp.AsSpan(offset)));
        Assert.True(RtpWire.HasVp8StartCodeInClear([0x10, .. frameTag, 0x9D, 0x01, 0x2A]));

        var found = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var scrambled = rtp.ToArray();
            random.NextBytes(scrambled.AsSpan(offset));
            if (RtpWire.HasVp8StartCodeInClear(scrambled.AsSpan(offset))) found++;
        }
        Assert.Equal(0, found);
        Assert.False(RtpWire.IsRtp([0x81, 200, 0, 6, .. new byte[24]]));
    }

    [Fact]
    public void Entropy_is_eight_bits_for_uniform_bytes_and_low_for_text()
    {
        var uniform = Enumerable.Repeat(100L, 256).ToArray();
        Assert.Equal(8.0, RtpWire.EntropyBitsPerByte(uniform), 6);
        var text = new long[256];
        foreach (var b in "the quick brown fox jumps over the lazy dog, again and again"u8) text[b]++;
        Assert.InRange(RtpWire.EntropyBitsPerByte(text), 3.0, 5.0);
    }

    private static byte[] GlobalHeader(uint linkType, bool bigEndian)
    {
        var h = new byte[24];
        U32(h, 0, 0xA1B2C3D4, bigEndian);
        U16(h, 4, 2, bigEndian);
        U16(h, 6, 4, bigEndian);
        U32(h, 16, 262144, bigEndian);
        U32(h, 20, linkType, bigEndian);
        return h;
    }

    private static byte[] Record(byte[] frame, bool bigEndian)
    {
        var r = new byte[16 + frame.Length];
        U32(r, 0, 1_700_000_000, bigEndian);
        U32(r, 8, (uint)frame.Length, bigEndian);
        U32(r, 12, (uint)frame.Length, bigEndian);
        frame.CopyTo(r, 16);
        return r;
    }

    private static byte[] LinkHeader(uint linkType) => linkType switch
    {
        PcapReader.LinkEthernet => [.. new byte[12], 0x08, 0x00],
        PcapReader.LinkLinuxSll => [0, 0, 0x03, 0x04, 0, 6, .. new byte[8], 0x08, 0x00],
        PcapReader.LinkLinuxSll2 => [0x08, 0x00, 0, 0, 0, 0, 0, 1, 0x03, 0x04, 0, 6, .. new byte[8]],
        _ => [],
    };

    private static byte[] Ipv4Udp(int sourcePort, int destinationPort, byte[] payload)
    {
        var p = new byte[28 + payload.Length];
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)p.Length);
        p[6] = 0x40;
        p[8] = 64;
        p[9] = 17;
        byte[] loopback = [127, 0, 0, 1];
        loopback.CopyTo(p, 12);
        loopback.CopyTo(p, 16);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(20), (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(22), (ushort)destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(24), (ushort)(8 + payload.Length));
        payload.CopyTo(p, 28);
        return p;
    }

    private static void U32(byte[] b, int at, uint v, bool bigEndian)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);
        else BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
    }

    private static void U16(byte[] b, int at, ushort v, bool bigEndian)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), v);
        else BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
    }
}
