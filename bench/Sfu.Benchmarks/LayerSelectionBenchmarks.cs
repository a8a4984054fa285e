using BenchmarkDotNet.Attributes;
using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Rtp;

namespace Sfu.Benchmarks;

/// <summary>
/// The simulcast selector stage of one down-track, per packet of a three-layer track: the <see cref="LayerSelector"/>
/// decision, then for forwarded packets the sequence/timestamp rewrite and the VP8 picture id / TL0PICIDX rewrite in
/// place (what DownTrack.Write adds to a single-layer forward). Packets of the three layers arrive interleaved and the
/// target is the middle layer, so two in three are dropped; a keyframe every 60 packets per layer, and the target moves
/// between medium and high every 600 packets so switches are included. Reported per incoming packet (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class LayerSelectionBenchmarks
{
    private const int Batch = 1800;
    private readonly byte[][] _payloads = new byte[3][];
    private readonly long[] _sequence = new long[3];
    private readonly uint[] _timestamp = new uint[3];
    private LayerSelector _selector = null!;
    private SequenceRewriter _rewriter = null!;
    private Vp8PictureRewriter _vp8 = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (var layer = 0; layer < 3; layer++)
        {
            var packet = RtpPackets.Vp8(1200, 0x1000u + (uint)layer, 0, 0, keyframe: false);
            RtpHeader.TryParse(packet, out var header);
            _payloads[layer] = packet[header.HeaderLength..];
        }
        _selector = new LayerSelector { MaxAllocated = 1 };
        _rewriter = new SequenceRewriter(1000, 90_000);
        _vp8 = new Vp8PictureRewriter();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int SelectAndRewrite()
    {
        var forwarded = 0;
        for (var i = 0; i < Batch; i++)
        {
            var layer = i % 3;
            var n = ++_sequence[layer];
            if (n % 200 == 0) _selector.MaxAllocated = _selector.MaxAllocated == 1 ? 2 : 1;
            var keyframe = n % 60 == 0;
            if (n % 3 == 0) _timestamp[layer] += 3000;
            switch (_selector.OnPacket(layer, keyframe, _selector.Target))
            {
                case LayerDecision.Switch:
                    _rewriter.Restart(n, _timestamp[layer], 3000);
                    _vp8.Restart();
                    goto case LayerDecision.Forward;
                case LayerDecision.Forward:
                    if (!_rewriter.TryRewrite(n, _timestamp[layer], out _, out _)) break;
                    _vp8.Rewrite(_payloads[layer]);
                    forwarded++;
                    break;
            }
        }
        return forwarded;
    }
}
