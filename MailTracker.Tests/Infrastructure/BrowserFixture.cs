using Microsoft.Playwright;

namespace MailTracker.Tests.Infrastructure;

/// <summary>One headless Debian Chromium for a test class (Playwright for .NET, no browser download).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>A desktop mail client's user agent: Chromium's own "HeadlessChrome" would be classified as a bot.</summary>
    public const string DesktopUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The app does real work behind each assertion (SMTP, commits, pushes) on a small shared machine.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>A fresh browser profile (own cookies), like another person's computer.</summary>
    public async Task<IBrowserContext> NewContextAsync(MailTrackerApp app, string locale = "en-GB")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl,
            UserAgent = DesktopUserAgent,
            Locale = locale,
            TimezoneId = "UTC",
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
        context.SetDefaultTimeout(15_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}
