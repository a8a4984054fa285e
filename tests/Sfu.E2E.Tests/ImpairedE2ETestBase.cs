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

    /// <summary>
    /// Runs <paramref name="body"/> with two pages, A then B, joined to a new room from a browser of their own started
    /// with the FlexFEC field trials (Chromium offers flexfec-03 only with them), single-stream video.
    /// </summary>
    protected async Task WithFlexFecPagesAsync(string test, Func<string, SfuPage, SfuPage, Task> body)
    {
        var browser = new ChromiumFixture { ExtraFlags = [Loss.FlexFecTests.FieldTrials] };
        await browser.InitializeAsync();
        SfuPage? a = null, b = null;
        try
        {
            var room = NewRoom(test);
            a = await SfuPage.JoinAsync(browser, Server, room, "A", Log, "&simulcast=0");
            b = await SfuPage.JoinAsync(browser, Server, room, "B", Log, "&simulcast=0");
            await body(room, a, b);
        }
        finally
        {
            if (b is not null) await b.DisposeAsync();
            if (a is not null) await a.DisposeAsync();
            await browser.DisposeAsync();
        }
    }
}
