using Microsoft.Playwright;

namespace SlmOps.E2ETests.Infrastructure;

/// <summary>
/// Blazor pages are prerendered, then the circuit attaches; typing before that is lost. Blazor's event delegator
/// stores its handlers on the element under a property named <c>_blazorEvents_N</c>, so an element carrying one is live.
/// </summary>
public static class Interactivity
{
    private const string HasBlazorHandlers =
        "selector => { const e = document.querySelector(selector); return !!e && Object.keys(e).some(k => k.startsWith('_blazorEvents_')); }";

    public static async Task GotoInteractiveAsync(this IPage page, string url, string liveSelector)
    {
        await page.GotoAsync(url);
        await page.WaitInteractiveAsync(liveSelector, "not-interactive-" + url.Split('?')[0].Replace('/', '-'));
    }

    /// <summary>Waits (up to a minute) until <paramref name="liveSelector"/> carries Blazor's event handlers; screenshots the page when it never does.</summary>
    public static async Task WaitInteractiveAsync(this IPage page, string liveSelector, string screenshot)
    {
        try
        {
            await page.WaitForFunctionAsync(HasBlazorHandlers, liveSelector, new PageWaitForFunctionOptions { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            await DashboardHost.ScreenshotAsync(page, screenshot);
            throw new TimeoutException($"{page.Url} did not become interactive ({liveSelector} got no Blazor handlers). Its text:\n{await page.InnerTextAsync("body")}");
        }
    }
}
