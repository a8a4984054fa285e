using System.Diagnostics;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests;

/// <summary>Timestamped test output shared by pages and peer processes. Their console events
/// arrive on other threads and may come after the test ends, when xunit's helper throws; so
/// writes after <see cref="Close"/> are dropped.</summary>
public sealed class TestLog(ITestOutputHelper output)
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _closed;

    public void Write(string source, string line)
    {
        lock (_gate)
        {
            if (!_closed) output.WriteLine($"{_clock.Elapsed.TotalSeconds,7:0.000} [{source}] {line}");
        }
    }

    public void Close()
    {
        lock (_gate) _closed = true;
    }
}
