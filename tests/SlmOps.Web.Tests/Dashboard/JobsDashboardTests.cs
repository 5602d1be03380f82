using System.Net;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.BackgroundJobs;
using SlmOps.Web.Tests.Apis;
using SlmOps.Web.Tests.Auth;

namespace SlmOps.Web.Tests.Dashboard;

/// <summary>Hangfire's dashboard at /hangfire: admins only, through the dashboard's sign-in cookie or an API key.</summary>
public sealed class JobsDashboardTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in_and_back()
    {
        using var browser = host.CreateAnonymousClient();

        var response = await browser.GetAsync(JobsDashboard.Path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(browser.BaseAddress!, response.Headers.Location!);
        Assert.Equal(("/signin", "?returnUrl=%2Fhangfire"), (location.AbsolutePath, location.Query));
    }

    [Theory]
    [InlineData(ApiKeyRole.Viewer)]
    [InlineData(ApiKeyRole.Editor)]
    [InlineData(ApiKeyRole.Promoter)]
    public async Task A_signed_in_user_below_admin_is_refused(ApiKeyRole role)
    {
        using var browser = await SignInAsync(role);

        var page = await browser.GetAsync(JobsDashboard.Path);
        var recurring = await browser.GetAsync(JobsDashboard.Path + "/recurring");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (page.StatusCode, recurring.StatusCode));
    }

    [Fact]
    public async Task A_signed_in_admin_sees_the_jobs_dashboard_and_its_link_in_the_navigation()
    {
        using var admin = await SignInAsync(ApiKeyRole.Admin);
        using var viewer = await SignInAsync(ApiKeyRole.Viewer);

        var dashboard = await admin.PageAsync(JobsDashboard.Path);
        var recurring = await admin.PageAsync(JobsDashboard.Path + "/recurring");

        Assert.Contains("SlmOps background jobs", dashboard);
        Assert.Contains("Recurring Jobs", recurring);
        Assert.Contains("href=\"hangfire\"", await admin.PageAsync("/"));
        Assert.DoesNotContain("href=\"hangfire\"", await viewer.PageAsync("/"));
    }

    [Fact]
    public async Task API_keys_as_bearer_tokens_work_too()
    {
        using var admin = host.CreateClient();
        using var viewer = await host.CreateClientAsync(ApiKeyRole.Viewer, "jobs-viewer");
        using var worker = await host.CreateClientAsync(ApiKeyRole.Worker, "jobs-worker");
        using var forged = TestKeys.WithKey(host.CreateAnonymousClient(), ApiKeyFormat.Generate().Key);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(JobsDashboard.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync(JobsDashboard.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync(JobsDashboard.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync(JobsDashboard.Path)).StatusCode);
    }

    private async Task<DashboardBrowser> SignInAsync(ApiKeyRole role) =>
        await DashboardBrowser.SignInAsync(host, await TestKeys.CreateAsync(host.Services, role, $"jobs-{ApiRoles.Name(role)}-{Guid.NewGuid():N}"[..24]));
}
