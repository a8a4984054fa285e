using BenchmarkDotNet.Attributes;
using Sfu.WebRtc.Codecs;
using Sfu.WebRtc.Rtp;

namespace Sfu.Benchmarks;

/// <summary>
/// The per-packet header work of forwarding: parsing the fixed header and extensions, rewriting extension ids
/// into a new buffer (what a down-track does for every subscriber), and the VP8 keyframe check ingress does once.
/// </summary>
[MemoryDiagnoser]
[OperationsPerSecond]
public class RtpHeaderBenchmarks
{
    private byte[] _packet = null!;
    private readonly byte[] _dest = new byte[1600];
    private readonly byte[] _idMap = new byte[256];
    private RtpHeader _header;

    [GlobalSetup]
    public void Setup()
    {
        _packet = RtpPackets.Vp8(1200, 0x1234_5678, 1000, 90_000, keyframe: true);
        RtpHeader.TryParse(_packet, out _header);
        // What a subscriber negotiates: only video-orientation is forwarded, under its own id (4).
        _idMap[RtpPackets.VideoOrientationId] = 4;
    }

    [Benchmark]
    public int Parse() => RtpHeader.TryParse(_packet, out var h) ? h.PayloadLength : -1;

    [Benchmark]
    public int RewriteExtensions() => RtpHeaderExtensions.Rewrite(_packet, _header, _idMap, 0, ReadOnlySpan<byte>.Empty, _dest);

    [Benchmark]
    public int ParseAndRewrite()
    {
        if (!RtpHeader.TryParse(_packet, out var h)) return -1;
        var n = RtpHeaderExtensions.Rewrite(_packet, h, _idMap, 0, ReadOnlySpan<byte>.Empty, _dest);
        RtpHeader.WriteSsrc(_dest, 0xCAFE_BABE);
        RtpHeader.WriteSequenceNumber(_dest, 7);
        RtpHeader.WriteTimestamp(_dest, 1234);
        RtpHeader.WritePayloadType(_dest, 96);
        return n;
    }

    [Benchmark]
    public bool Vp8KeyframeCheck() =>
        KeyframeDetector.IsKeyframe("VP8", _packet.AsSpan(_header.HeaderLength, _header.PayloadLength));
}
