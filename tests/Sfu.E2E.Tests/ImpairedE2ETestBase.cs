using Sfu.Streams.Recovery;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests;

/// <summary>
/// E2E tests that reach into the in-process server through the test-only <see cref="PacketImpairment"/> hook (loss,
/// delay and policer rules, and its list of sessions). Graphs built after the constructor carry the impairment
/// stage; every rule and session is forgotten when the test ends.
/// </summary>
public abstract class ImpairedE2ETestBase : E2ETestBase, IDisposable
{
    protected ImpairedE2ETestBase(SfuServerFixture server, ChromiumFixture chromium, ITestOutputHelper output) : base(server, chromium, output)
    {
        PacketImpairment.Enabled = true;
    }

    public void Dispose() => PacketImpairment.Reset();
}
