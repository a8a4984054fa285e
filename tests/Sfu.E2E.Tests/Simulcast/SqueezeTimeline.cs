using System.Diagnostics;
using Sfu.Streams.Forwarding;

namespace Sfu.E2E.Tests.Simulcast;

/// <summary>
/// Samples the server's view of one squeezed down-track every 10 ms and keeps the first time each step toward the low
/// layer happened, so a slow switch says which step was slow (the estimator, the allocator tick, or the keyframe).
/// </summary>
internal sealed class SqueezeTimeline : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;

    /// <summary>Estimate low enough that only the low layer fits (medium's 500 kbps plus audio no longer does).</summary>
    public long EstimateLowMs { get; private set; } = -1;
    public long AllocatedLowMs { get; private set; } = -1;
    public long SwitchedLowMs { get; private set; } = -1;

    private SqueezeTimeline(SubscriberBandwidth bandwidth, DownTrack down, Stopwatch clock)
    {
        _sampler = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested && SwitchedLowMs < 0)
            {
                var now = clock.ElapsedMilliseconds;
                if (EstimateLowMs < 0 && bandwidth.EstimateBps < 548_000) EstimateLowMs = now;
                if (AllocatedLowMs < 0 && down.Layers.MaxAllocated == 0) AllocatedLowMs = now;
                if (SwitchedLowMs < 0 && down.Layers.Current == 0) SwitchedLowMs = now;
                try { await Task.Delay(10, _stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    public static SqueezeTimeline Start(SubscriberBandwidth bandwidth, DownTrack down, Stopwatch clock) => new(bandwidth, down, clock);

    public override string ToString() =>
        $"estimate low at {EstimateLowMs} ms, allocated low at {AllocatedLowMs} ms, switched at {SwitchedLowMs} ms";

    public void Dispose()
    {
        _stop.Cancel();
        _sampler.Wait();
        _stop.Dispose();
    }
}
