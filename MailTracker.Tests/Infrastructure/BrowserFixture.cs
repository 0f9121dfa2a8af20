using Microsoft.Playwright;

namespace MailTracker.Tests.Infrastructure;

/// <summary>One headless Debian Chromium for a test class (Playwright for .NET, no browser download).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>A desktop mail client's user agent: Chromium's own "HeadlessChrome" would be classified as a bot.</summary>
    public const string PhoneUserAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36";
    public const string DesktopUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>How long Chromium gets to close a browser profile before it is taken for stuck.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(30);

    public async Task InitializeAsync()
    {
        // The app does real work behind each assertion (SMTP, commits, pushes) on a small shared machine.
        Assertions.SetDefaultExpectTimeout(15_000);
        await LaunchAsync();
    }

    private async Task LaunchAsync()
    {
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
    public async Task<BrowserSession> NewContextAsync(MailTrackerApp app, string locale = "en-GB", IEnumerable<string>? permissions = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl,
            UserAgent = DesktopUserAgent,
            Locale = locale,
            TimezoneId = "UTC",
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
            Permissions = permissions,
        });
        context.SetDefaultTimeout(15_000);
        return new BrowserSession(context, this);
    }

    /// <summary>A phone's browser profile: 390 × 844 CSS pixels, touch, a mobile user agent.</summary>
    public async Task<BrowserSession> NewPhoneContextAsync(MailTrackerApp app, string locale = "en-GB")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl,
            UserAgent = PhoneUserAgent,
            Locale = locale,
            TimezoneId = "UTC",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        context.SetDefaultTimeout(15_000);
        return new BrowserSession(context, this);
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync().WaitAsync(CloseTimeout);
        _playwright?.Dispose();
    }

    /// <summary>
    /// Closes a profile once its test is done. Once in a while Chromium never answers the close (seen once in a full
    /// run, after every assertion of the test had passed): rather than hang the run, the stuck browser goes with its
    /// Playwright driver and a new one serves the tests that follow. It is said on stderr, so it shows in the CI log.
    /// </summary>
    internal async Task CloseAsync(IBrowserContext context)
    {
        try
        {
            await context.CloseAsync().WaitAsync(CloseTimeout);
        }
        catch (TimeoutException)
        {
            await Console.Error.WriteLineAsync($"Chromium did not close a browser profile within {CloseTimeout.TotalSeconds} s; starting a new browser.");
            _playwright?.Dispose();
            await LaunchAsync();
        }
        catch (PlaywrightException) when (!context.Browser!.IsConnected)
        {
            // Its browser was replaced after a stuck close: the profile went with it.
        }
    }
}

/// <summary>One person's browser profile in a test: pages share its cookies; disposing it closes it (bounded).</summary>
public sealed class BrowserSession(IBrowserContext context, BrowserFixture fixture) : IAsyncDisposable
{
    public Task<IPage> NewPageAsync() => context.NewPageAsync();

    public ValueTask DisposeAsync() => new(fixture.CloseAsync(context));
}
