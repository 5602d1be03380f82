using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Components;
using SlmOps.Web.Tests.Apis;
using SlmOps.Web.Tests.Auth;
using RouteAttribute = Microsoft.AspNetCore.Components.RouteAttribute;

namespace SlmOps.Web.Tests.Dashboard;

/// <summary>
/// Who may see which dashboard page and which actions it offers, through the app's real cookie sign-in. The
/// pages are found by their @page routes, so a new page is covered without touching this test.
/// </summary>
public sealed class DashboardAuthorizationTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    public static TheoryData<string> ProtectedPages()
    {
        var pages = new TheoryData<string>();
        foreach (var page in typeof(Program).Assembly.GetTypes().Where(t => t.GetCustomAttribute<AllowAnonymousAttribute>() is null))
        {
            foreach (var route in page.GetCustomAttributes<RouteAttribute>())
            {
                pages.Add(Regex.Replace(route.Template, "\\{[^}]+\\}", p => p.Value.Contains(":guid") ? Guid.NewGuid().ToString() : "some-task"));
            }
        }
        return pages;
    }

    [Theory]
    [MemberData(nameof(ProtectedPages))]
    public async Task An_anonymous_visitor_of_any_page_is_sent_to_sign_in_and_back(string page)
    {
        using var browser = host.CreateAnonymousClient();

        var response = await browser.GetAsync(page + "?from=here");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(browser.BaseAddress!, response.Headers.Location!);
        Assert.Equal("/signin", location.AbsolutePath);
        Assert.Equal("?returnUrl=" + Uri.EscapeDataString(page + "?from=here"), location.Query);
    }

    [Fact]
    public async Task Every_page_is_covered_and_the_sign_in_page_stays_open()
    {
        Assert.Contains("/runs/{Id:guid}", typeof(Program).Assembly.GetTypes().SelectMany(t => t.GetCustomAttributes<RouteAttribute>()).Select(r => r.Template));
        Assert.True(ProtectedPages().Count >= 8);
        using var browser = host.CreateAnonymousClient();

        var response = await browser.GetAsync("/signin?returnUrl=%2Fruns");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("name=\"returnUrl\" value=\"/runs\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_viewer_sees_a_live_run_without_cancel_rerun_or_clone_and_an_editor_gets_them()
    {
        var runId = await host.ScalarAsync<Guid>(
            "INSERT INTO runs (kind, status, name, created_by, started_at) VALUES ('TrainBaseModel', 'Running', 'guarded-run', 't', now()) RETURNING id");
        using var viewer = await SignInAsync(ApiKeyRole.Viewer);
        using var editor = await SignInAsync(ApiKeyRole.Editor);

        var seenByViewer = await viewer.PageAsync($"/runs/{runId}");
        var seenByEditor = await editor.PageAsync($"/runs/{runId}");

        Assert.Contains("guarded-run", seenByViewer);
        foreach (var action in new[] { "Cancel run", "Run again", "Clone and edit" })
        {
            Assert.DoesNotContain(action, seenByViewer);
            Assert.Contains(action, seenByEditor);
        }
    }

    [Fact]
    public async Task An_editor_is_offered_no_cancel_on_a_finished_run()
    {
        var runId = await host.ScalarAsync<Guid>(
            "INSERT INTO runs (kind, status, name, created_by, finished_at) VALUES ('TrainBaseModel', 'Succeeded', 'finished-run', 't', now()) RETURNING id");
        using var editor = await SignInAsync(ApiKeyRole.Editor);

        var html = await editor.PageAsync($"/runs/{runId}");

        Assert.Contains("finished-run", html);
        Assert.DoesNotContain("Cancel run", html);
        Assert.Contains("Run again", html);
    }

    [Fact]
    public async Task A_viewer_sees_datasets_without_the_upload_form_and_an_editor_gets_it()
    {
        using var viewer = await SignInAsync(ApiKeyRole.Viewer);
        using var editor = await SignInAsync(ApiKeyRole.Editor);

        var seenByViewer = await viewer.PageAsync("/datasets");
        var seenByEditor = await editor.PageAsync("/datasets");

        Assert.Contains("<h1>Datasets</h1>", seenByViewer);
        Assert.DoesNotContain("Upload a dataset", seenByViewer);
        Assert.DoesNotContain("id=\"ds-file\"", seenByViewer);
        Assert.Contains("Upload a dataset", seenByEditor);
        Assert.Contains("id=\"ds-file\"", seenByEditor);
    }

    [Fact]
    public void The_dashboard_policy_names_are_the_auth_role_policies()
    {
        Assert.Equal(DashboardPolicies.Viewer, ApiRoles.PolicyName(ApiKeyRole.Viewer));
        Assert.Equal(DashboardPolicies.Editor, ApiRoles.PolicyName(ApiKeyRole.Editor));
        Assert.Equal(DashboardPolicies.Promoter, ApiRoles.PolicyName(ApiKeyRole.Promoter));
        Assert.Equal(DashboardPolicies.Admin, ApiRoles.PolicyName(ApiKeyRole.Admin));
    }

    private async Task<DashboardBrowser> SignInAsync(ApiKeyRole role) =>
        await DashboardBrowser.SignInAsync(host, await TestKeys.CreateAsync(host.Services, role, $"dash-{ApiRoles.Name(role)}-{Guid.NewGuid():N}"[..24]));
}
