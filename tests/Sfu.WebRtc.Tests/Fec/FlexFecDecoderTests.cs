using System.Buffers.Binary;
using Sfu.WebRtc.Fec;

namespace Sfu.WebRtc.Tests.Fec;

/// <summary>Receiver-side FlexFEC recovery beyond the single-loss cases of <see cref="FecXorTests"/>.</summary>
public class FlexFecDecoderTests
{
    private static List<byte[]> Frame(ushort first, int count) => Enumerable.Range(0, count)
        .Select(i => TestFlexFec.Rtp(96, (ushort)(first + i), 3000, 0x1234, i == count - 1, [0x32, 1, 2, 3, 4], new byte[100 + 37 * i]))
        .ToList();

    private static Dictionary<ushort, byte[]> Except(List<byte[]> packets, params int[] lost) =>
        packets.Where((_, i) => !lost.Contains(i)).ToDictionary(p => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)));

    private static FecRecoveryResult Run(byte[] fec, Dictionary<ushort, byte[]> held) =>
        FlexFecDecoder.TryRecover(fec, new FecReceived(held), new byte[fec.Length], new byte[1600], out _, out _);

    [Fact]
    public void Rebuilds_into_the_fec_packets_own_buffer()
    {
        var packets = Frame(500, 6);
        var fec = TestFlexFec.Protect(0x1234, 500, packets);
        // As ingress does it: the FEC packet's buffer receives the media packet it rebuilt.
        var buffer = new byte[1600];
        fec.CopyTo(buffer, 0);
        var result = FlexFecDecoder.TryRecover(buffer.AsSpan(0, fec.Length), new FecReceived(Except(packets, 4)), new byte[fec.Length], buffer,
            out var length, out var sequence);
        Assert.Equal(FecRecoveryResult.Recovered, result);
        Assert.Equal(504, sequence);
        Assert.Equal(packets[4], buffer[..length]);
    }

    [Fact]
    public void Says_why_nothing_was_rebuilt()
    {
        var packets = Frame(65534, 4);
        var fec = TestFlexFec.Protect(0x1234, 65534, packets);
        Assert.Equal(FecRecoveryResult.NothingMissing, Run(fec, Except(packets)));
        Assert.Equal(FecRecoveryResult.TooManyMissing, Run(fec, Except(packets, 0, 3)));
        // Held, but not as sent (e.g. restored from RTX): the XOR would rebuild garbage.
        var held = Except(packets, 1);
        held[BinaryPrimitives.ReadUInt16BigEndian(packets[2].AsSpan(2))] = [];
        Assert.Equal(FecRecoveryResult.Unusable, Run(fec, held));
        // A held packet of another SSRC under the same number.
        var other = Except(packets, 1);
        var foreign = (byte[])packets[2].Clone();
        BinaryPrimitives.WriteUInt32BigEndian(foreign.AsSpan(8), 0x9999);
        other[BinaryPrimitives.ReadUInt16BigEndian(foreign.AsSpan(2))] = foreign;
        Assert.Equal(FecRecoveryResult.Invalid, Run(fec, other));
    }

    [Fact]
    public void Truncated_and_random_fec_payloads_never_throw_and_never_claim_a_rebuild_past_their_bytes()
    {
        var packets = Frame(10, 5);
        var fec = TestFlexFec.Protect(0x1234, 10, packets);
        var held = Except(packets, 2);
        for (var cut = 0; cut < fec.Length; cut += 7)
        {
            var truncated = fec[..cut];
            var rebuilt = new byte[1600];
            var result = FlexFecDecoder.TryRecover(truncated, new FecReceived(held), new byte[fec.Length], rebuilt, out var length, out _);
            if (result == FecRecoveryResult.Recovered) Assert.True(length <= cut);
        }
        var rng = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var garbage = new byte[rng.Next(0, 200)];
            rng.NextBytes(garbage);
            FlexFecDecoder.TryRecover(garbage, new FecReceived(held), new byte[garbage.Length], new byte[1600], out _, out _);
        }
    }
}
