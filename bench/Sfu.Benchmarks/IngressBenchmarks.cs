using BenchmarkDotNet.Attributes;
using Sfu.WebRtc.Srtp;

namespace Sfu.Benchmarks;

/// <summary>
/// What the publisher's ingress does per packet before any fan-out: rent a pooled packet and copy the datagram
/// into it (the UDP receive does this), parse, resolve the receive stream, extend the sequence number, update
/// receive statistics and check for a VP8 keyframe; with no subscriber attached.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class IngressBenchmarks
{
    private const int Batch = 64;
    private ForwardingRig _rig = null!;

    [GlobalSetup]
    public void Setup() => _rig = new ForwardingRig(0, SrtpProfile.AeadAes128Gcm);

    [Benchmark(OperationsPerInvoke = Batch)]
    public void RentAndIdentify()
    {
        for (var i = 0; i < Batch; i++)
        {
            var p = _rig.NextDelta();
            _rig.Identify(p);
            p.Release();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _rig.Dispose();
}
