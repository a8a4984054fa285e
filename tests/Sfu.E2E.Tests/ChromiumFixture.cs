using Microsoft.Playwright;

namespace Sfu.E2E.Tests;

/// <summary>One headless Debian Chromium per test collection; each page gets its own context
/// (own fake camera and microphone, no shared storage).</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    // PEERS.md: without --allow-loopback-in-peer-connection Chromium offers no 127.0.0.1 candidate,
    // and mDNS host candidates would hide it; the fake devices give a ~20 fps camera and a beep.
    // --autoplay-policy lets remote <video> play with sound on ?autojoin=1, which has no user gesture.
    public static readonly string[] Flags =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        "--allow-loopback-in-peer-connection",
        "--disable-features=WebRtcHideLocalIpsWithMdns",
        "--autoplay-policy=no-user-gesture-required",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Flags added to <see cref="Flags"/> for a browser a test starts itself (e.g. field trials).</summary>
    public string[] ExtraFlags { get; init; } = [];

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium not started");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new FileNotFoundException("Debian's chromium is missing: run scripts/test.sh (apt-get install chromium)", ExecutablePath);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // SFU_E2E_CHROME_ARGS adds flags for diagnosis, e.g. "--enable-logging --log-file=/tmp/chrome.log".
            Args = [.. Flags, .. ExtraFlags, .. (Environment.GetEnvironmentVariable("SFU_E2E_CHROME_ARGS") ?? "").Split(" ", StringSplitOptions.RemoveEmptyEntries)],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
