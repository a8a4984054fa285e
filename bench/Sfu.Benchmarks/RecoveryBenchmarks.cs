using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Sfu.Streams.Recovery;
using Sfu.WebRtc.Fec;

namespace Sfu.Benchmarks;

/// <summary>
/// The per-packet cost of loss recovery (issue 6): the NACK generator every received video packet passes through
/// (in order, and with 5% of packets missing and repaired 10 packets later, polled like the 20 ms tick), the
/// retransmission buffer every forwarded video packet is stored in (and a NACK's lookup), RTX wrap + restore, and the
/// transport-wide loss detector every publisher packet passes (audio every 4th packet, 5% lost), and FlexFEC
/// recovery at ingress per FEC packet (10 protected 1200-byte packets: all held, the common case, or one missing).
/// Each benchmark runs <see cref="Packets"/> packets per invocation, so the reported time is per packet.
/// </summary>
[MemoryDiagnoser]
public class RecoveryBenchmarks
{
    private const int Packets = 1024;
    private byte[] _packet = null!;
    private readonly byte[] _scratch = new byte[1600];
    private readonly ushort[] _nacks = new ushort[64];
    private RetransmissionBuffer _buffer = null!;
    private long _sequence;
    private readonly TransportLossDetector<string> _transportLoss = new(TimeSpan.FromMilliseconds(60), 1000);
    private readonly TailLoss<string>[] _tailLosses = new TailLoss<string>[4];
    private ushort _transport, _video, _audio;
    private long _now;

    private byte[] _fec = null!;
    private FecHeld _fecAll = null!, _fecOneMissing = null!;
    private readonly byte[] _fecWork = new byte[1600];

    /// <summary>The protected packets a receiver holds, by sequence number.</summary>
    private sealed class FecHeld(Dictionary<ushort, byte[]> packets) : IFecPacketSource
    {
        public bool TryGet(ushort sequence, out ReadOnlySpan<byte> packet)
        {
            var found = packets.TryGetValue(sequence, out var p);
            packet = p;
            return found;
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var protectedPackets = Enumerable.Range(0, 10).Select(i =>
        {
            var p = RtpPackets.Vp8(1200, 0x1234_5678, (ushort)(500 + i), 90_000, keyframe: false);
            BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)(500 + i));
            return p;
        }).ToList();
        _fec = new byte[FecXor.CoveredLength(FlexFec03Header.MinLength, 1200)];
        FlexFec03Header.TryWrite(_fec, 0x1234_5678, 500, Enumerable.Range(0, 10).ToArray(), out var headerLength);
        foreach (var p in protectedPackets) FecXor.TryApply(_fec, headerLength, p);
        _fecAll = new FecHeld(protectedPackets.ToDictionary(p => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2))));
        _fecOneMissing = new FecHeld(protectedPackets.Skip(1).ToDictionary(p => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2))));
        _packet = RtpPackets.Vp8(1200, 0x1234_5678, 1000, 90_000, keyframe: false);
        _buffer = new RetransmissionBuffer(TimeProvider.System);
        for (var i = 0; i < RetransmissionBuffer.DefaultCapacity; i++) _buffer.Store((ushort)i, _packet);
    }

    [GlobalCleanup]
    public void Cleanup() => _buffer.Dispose();

    [Benchmark(OperationsPerInvoke = Packets)]
    public long NackGeneratorInOrder()
    {
        var g = new NackGenerator(TimeProvider.System);
        for (var i = 0; i < Packets; i++) g.OnPacket(_sequence++, keyframe: false);
        return g.Highest;
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public long NackGeneratorWithGaps()
    {
        var g = new NackGenerator(TimeProvider.System);
        var written = 0L;
        for (var i = 0; i < Packets; i++)
        {
            var s = _sequence++;
            // Every 20th packet goes missing and comes back (repaired) 10 packets later.
            if (s % 20 != 7) g.OnPacket(s, keyframe: false);
            if (s % 20 == 17) g.OnPacket(s - 10, keyframe: false);
            if (i % 16 == 0) written += g.Poll(_nacks);
        }
        return written + g.Recovered;
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public int RetransmissionBufferStore()
    {
        for (var i = 0; i < Packets; i++) _buffer.Store((ushort)_sequence++, _packet);
        return _buffer.Capacity;
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public int RetransmissionBufferLookup()
    {
        var total = 0;
        var newest = (ushort)(_sequence - 1);
        for (var i = 0; i < Packets; i++)
        {
            // Zero resend interval: every lookup copies, as the first NACK for a packet would.
            if (_buffer.TryCopy((ushort)(newest - (i & 511)), TimeSpan.Zero, _scratch, out var n) == RetransmitLookup.Copied) total += n;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public int RtxWrapAndRestore()
    {
        var total = 0;
        for (var i = 0; i < Packets; i++)
        {
            _packet.CopyTo(_scratch, 0);
            RtxPacket.TryWrap(_scratch, _packet.Length, 97, 0x9999, (ushort)i, out var rtxLength);
            RtxPacket.TryRestore(_scratch.AsSpan(0, rtxLength), 96, 0x1234_5678, out var n);
            total += n;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public int TransportLossDetector()
    {
        var found = 0;
        for (var i = 0; i < Packets; i++)
        {
            var audio = (i & 3) == 0;
            var t = _transport++;
            var sequence = audio ? _audio++ : _video++;
            _now += 5;
            // Every 20th packet lost.
            if (t % 20 == 7) continue;
            found += _transportLoss.OnPacket(t, audio ? 2u : 1u, sequence, marker: !audio && (sequence & 3) == 3, repair: false,
                audio ? null : "video", _now, _tailLosses, out _);
        }
        return found;
    }

    [Benchmark]
    public FecRecoveryResult FlexFecNothingMissing() =>
        FlexFecDecoder.TryRecover(_fec, _fecAll, _fecWork, _scratch, out _, out _);

    [Benchmark]
    public FecRecoveryResult FlexFecRebuildOne() =>
        FlexFecDecoder.TryRecover(_fec, _fecOneMissing, _fecWork, _scratch, out _, out _);
}
