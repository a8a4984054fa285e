using System.Diagnostics;

namespace Sfu.Service.Tests.Operations;

/// <summary>Bounded polling for observable state.</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (clock.Elapsed >= limit) throw new TimeoutException($"{what}: not reached within {limit.TotalSeconds:0.#} s");
            await Task.Delay(50);
        }
    }
}
