using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SlmOps.E2ETests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SlmOps.E2ETests;

/// <summary>
/// Teams in the dashboard, in a real browser: an admin switches between teams and every list follows the switch and
/// shows each object's team; a team's promoter sees its own datasets and task models, and a task shared with its team
/// as another team's, readable but with nothing to promote.
/// </summary>
public sealed class TeamsDashboardTests(TeamsDashboardHost host) : IClassFixture<TeamsDashboardHost>
{
    [Fact]
    public async Task An_admin_switches_teams_and_each_list_shows_only_that_teams_objects_with_their_team()
    {
        var page = await host.SignedInPageAsync(host.AdminKey);
        await page.GotoAsync("datasets");
        var switcher = page.Locator("nav.slm-team-switcher");
        await Expect(switcher.GetByRole(AriaRole.Link, new() { Name = "beta", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator(".rz-data-row").Filter(new() { HasText = "alpha-data" })).ToBeVisibleAsync();
        await Expect(page.Locator(".rz-data-row").Filter(new() { HasText = "beta-data" }).Locator(".slm-team")).ToHaveTextAsync("beta");
        await DashboardHost.ScreenshotAsync(page, "30-teams-admin-all");

        await switcher.GetByRole(AriaRole.Link, new() { Name = "beta", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/datasets\?team=beta$"));
        await Expect(page.Locator(".rz-data-row").Filter(new() { HasText = "beta-data" })).ToBeVisibleAsync();
        await Expect(page.Locator(".rz-data-row").Filter(new() { HasText = "alpha-data" })).ToHaveCountAsync(0);
        await Expect(switcher.Locator("a.slm-team-current")).ToHaveTextAsync("beta");
        await DashboardHost.ScreenshotAsync(page, "31-teams-admin-beta");

        // The choice follows the navigation: the registry lists beta's task models only.
        await page.Locator("nav.slm-nav").GetByRole(AriaRole.Link, new() { Name = "Registry" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/registry\?team=beta$"));
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "beta-task (2)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "alpha-task (2)" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_promoter_sees_its_teams_objects_and_a_shared_task_as_read_only()
    {
        var page = await host.SignedInPageAsync(host.AlphaPromoterKey);
        await Expect(page.Locator(".slm-team-switcher strong")).ToHaveTextAsync("alpha"); // one team: no switcher, its name
        await page.GotoAsync("datasets");
        await Expect(page.Locator(".rz-data-row").Filter(new() { HasText = "alpha-data" })).ToBeVisibleAsync();
        await Expect(page.Locator(".rz-data-row").Filter(new() { HasText = "beta-data" })).ToHaveCountAsync(0);

        await page.GotoInteractiveAsync("registry/alpha-task", "tr[data-version='2'] button");
        await Expect(page.Locator("tr[data-version='2']").GetByRole(AriaRole.Button, new() { Name = "Promote" })).ToBeVisibleAsync();

        // Loaded and live (the task tabs carry Blazor's handlers), so an absent button is absent, not yet to come.
        await page.GotoInteractiveAsync("registry/beta-task", "[role=tab][aria-selected=true]");
        await Expect(page.Locator(".slm-registry-owner .slm-team-other")).ToHaveTextAsync("beta");
        await Expect(page.Locator(".slm-registry-owner")).ToContainTextAsync("read only");
        await Expect(page.Locator("tr[data-version='2']")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Promote" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Roll back" })).ToHaveCountAsync(0);
        await DashboardHost.ScreenshotAsync(page, "32-teams-shared-task-read-only");
    }
}
