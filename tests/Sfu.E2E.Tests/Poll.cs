using System.Diagnostics;
using System.Text.Json;

namespace Sfu.E2E.Tests;

/// <summary>Bounded polling: the tests wait for observable state, never for a fixed time.</summary>
public static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(150);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (clock.Elapsed >= timeout)
                throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds:0.#} s. Last value: {Describe(value)}");
            await Task.Delay(Interval);
        }
    }

    private static string Describe<T>(T value) =>
        value is null ? "null" : JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = false });
}
