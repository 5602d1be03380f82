using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Auth;

/// <summary>The dashboard's sign-in form, posted the way a browser posts a static Blazor page's plain HTML form.</summary>
public sealed class SignInTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Signing_in_with_a_key_sets_an_http_only_lax_cookie_that_authenticates_api_calls_until_sign_out()
    {
        var key = await TestKeys.CreateAsync(host.Services, ApiKeyRole.Viewer, "dashboard-user");
        using var browser = host.CreateAnonymousClient();

        var signIn = await PostFormAsync(browser, "/account/signin", new() { ["apiKey"] = key, ["returnUrl"] = "/runs?status=Running" });

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/runs?status=Running", signIn.Headers.Location?.ToString());
        var setCookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthSchemes.CookieName + "="));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        var cookie = setCookie.Split(';')[0];

        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync(browser, "/api/v1/workers", cookie)).StatusCode);
        var tooLow = await GetWithCookieAsync(browser, "/api/v1/api-keys", cookie);
        Assert.Equal(HttpStatusCode.Forbidden, tooLow.StatusCode);
        Assert.Contains("needs the admin role", (await tooLow.Content.ReadFromJsonAsync<Problem>())!.Detail);

        var signOut = await PostFormAsync(browser, "/account/signout", new(), cookie, SignedIn(key));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Contains(signOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthSchemes.CookieName + "=;"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetWithCookieAsync(browser, "/api/v1/workers", "")).StatusCode);
    }

    [Fact]
    public async Task Revoking_the_key_ends_its_dashboard_session()
    {
        var key = await TestKeys.CreateAsync(host.Services, ApiKeyRole.Editor, "revoked-later");
        using var browser = host.CreateAnonymousClient();
        var cookie = await DashboardSignIn.CookieAsync(host.Services, browser, key);
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync(browser, "/api/v1/workers", cookie)).StatusCode);

        using var admin = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/api-keys/{key[4..12]}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetWithCookieAsync(browser, "/api/v1/workers", cookie)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_goes_back_to_the_sign_in_page_with_the_reason_and_foreign_return_urls_are_ignored()
    {
        using var browser = host.CreateAnonymousClient();
        var (unknown, _) = ApiKeyFormat.Generate();

        var refused = await PostFormAsync(browser, "/account/signin", new() { ["apiKey"] = unknown, ["returnUrl"] = "/runs" });
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var location = refused.Headers.Location!.ToString();
        Assert.StartsWith("/signin?error=", location);
        Assert.Contains("not%20known", location);
        Assert.Contains("returnUrl=%2Fruns", location);
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(AuthSchemes.CookieName));

        var key = await TestKeys.CreateAsync(host.Services, ApiKeyRole.Viewer, "phished");
        foreach (var foreign in new[] { "https://evil.example/", "//evil.example/x", "/\\evil.example" })
        {
            var signIn = await PostFormAsync(browser, "/account/signin", new() { ["apiKey"] = key, ["returnUrl"] = foreign });
            Assert.Equal("/", signIn.Headers.Location?.ToString());
        }
    }

    [Fact]
    public async Task A_worker_key_cannot_sign_in_and_the_sign_in_page_says_why()
    {
        var key = await TestKeys.CreateAsync(host.Services, ApiKeyRole.Worker, "gpu-box");
        using var browser = host.CreateAnonymousClient();

        var refused = await PostFormAsync(browser, "/account/signin", new() { ["apiKey"] = key, ["returnUrl"] = "/runs" });

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var location = Uri.UnescapeDataString(refused.Headers.Location!.ToString());
        Assert.StartsWith("/signin?error=", location);
        Assert.Contains("This is a worker key: it cannot sign in to the dashboard.", location);
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(AuthSchemes.CookieName));
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        using var browser = host.CreateAnonymousClient();
        var response = await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["apiKey"] = host.AdminKey }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(AuthSchemes.CookieName)));
    }

    private Task<HttpResponseMessage> PostFormAsync(
        HttpClient browser, string path, Dictionary<string, string> fields, string cookie = "", ClaimsPrincipal? user = null) =>
        DashboardSignIn.PostFormAsync(host.Services, browser, path, fields, cookie, user);

    // The page that renders the sign-out form is seen by the signed-in user; its token is bound to that user.
    private static ClaimsPrincipal SignedIn(string key) => ApiKeyPrincipal.Create(
        new ApiKey { Name = "dashboard-user", Prefix = key[4..12], KeyHash = "", Role = ApiKeyRole.Viewer, CreatedBy = "tests" }, AuthSchemes.Cookie);

    private static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient browser, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie.Length > 0) request.Headers.Add("Cookie", cookie);
        return await browser.SendAsync(request);
    }
}
