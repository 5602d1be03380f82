using Microsoft.Playwright;
using SlmOps.E2ETests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SlmOps.E2ETests;

/// <summary>
/// The web host restarts (a deploy, a crash) under an open dashboard page: Blazor's reconnect UI shows over the page,
/// which keeps its content, and once the host is back the page is live again (the new host does not know the old
/// circuit, so blazor.web.js reloads the page, which renders the same run).
/// </summary>
public sealed class ReconnectTests(RestartableDashboardHost host) : IClassFixture<RestartableDashboardHost>
{
    private const string ReconnectDialog = "#components-reconnect-modal .components-reconnect-dialog";
    private const string LiveButton = ".slm-run-actions button";
    private static readonly LocatorAssertionsToBeVisibleOptions Generous = new() { Timeout = 120_000 };

    [Fact]
    public async Task A_run_page_shows_the_reconnect_ui_while_the_host_restarts_and_is_live_again_after()
    {
        var runId = await host.Web.ScalarAsync<Guid>(
            """
            INSERT INTO runs (kind, status, name, config, created_by)
            VALUES ('TrainBaseModel', 'Queued', 'reconnect-run', '{"baseModelName": "m", "datasetVersionId": 1}', 'tester')
            RETURNING id
            """);
        var page = await host.SignedInPageAsync(host.AdminKey);
        await page.GotoAsync($"runs/{runId}");
        await page.WaitInteractiveAsync(LiveButton, "reconnect-before");
        var heading = page.Locator("h1");
        await Expect(heading).ToHaveTextAsync("reconnect-run");

        await host.Web.StopAsync();
        await Expect(page.Locator(ReconnectDialog)).ToBeVisibleAsync(Generous);
        await Expect(heading).ToHaveTextAsync("reconnect-run"); // what was on screen stays under the dialog
        await DashboardHost.ScreenshotAsync(page, "13-reconnecting");

        await host.Web.StartAgainAsync(TimeSpan.FromSeconds(60));
        await Expect(page.Locator(ReconnectDialog)).ToBeHiddenAsync(new() { Timeout = 120_000 });
        await Expect(heading).ToHaveTextAsync("reconnect-run");
        await page.WaitInteractiveAsync(LiveButton, "reconnect-after");
        await DashboardHost.ScreenshotAsync(page, "14-reconnected");
    }
}
