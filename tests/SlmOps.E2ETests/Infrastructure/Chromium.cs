using Microsoft.Playwright;

namespace SlmOps.E2ETests.Infrastructure;

/// <summary>The browser the tests drive: Debian's headless Chromium through Playwright, and a page signed in with a key.</summary>
internal static class Chromium
{
    /// <summary>Debian's Chromium; Playwright's own browser downloads are never used.</summary>
    public static string Path => Environment.GetEnvironmentVariable("SLMOPS_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assertions.SetDefaultExpectTimeout(30_000); // a busy 2-core machine; training waits pass their own deadline
        Directory.CreateDirectory(DashboardHost.ScreenshotDirectory);
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>A fresh browser page (its own cookies) on <paramref name="baseUrl"/>, signed in with the given key.</summary>
    public static async Task<IPage> SignedInPageAsync(IBrowser browser, string baseUrl, string key)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
        });
        context.SetDefaultTimeout((float)TimeSpan.FromSeconds(30).TotalMilliseconds);
        var page = await context.NewPageAsync();
        await page.GotoAsync("signin");
        await page.Locator("#apiKey").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        return page;
    }
}
