using Xunit.Abstractions;

namespace Sfu.E2E.Tests.Robustness;

/// <summary>Test output for pages that outlive one test: the class fixture's pages keep logging
/// while the tests run one after another, and each line goes to the test running at the time.
/// xunit's helper throws once its test has ended, so between tests lines are dropped.</summary>
public sealed class ForwardingTestOutput : ITestOutputHelper
{
    private readonly Lock _gate = new();
    private ITestOutputHelper? _current;

    public void Attach(ITestOutputHelper output)
    {
        lock (_gate) _current = output;
    }

    public void Detach()
    {
        lock (_gate) _current = null;
    }

    public void WriteLine(string message)
    {
        lock (_gate) _current?.WriteLine(message);
    }

    public void WriteLine(string format, params object[] args)
    {
        lock (_gate) _current?.WriteLine(format, args);
    }
}
