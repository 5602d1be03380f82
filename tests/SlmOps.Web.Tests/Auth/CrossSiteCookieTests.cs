using System.Net;
using System.Net.Http.Json;
using System.Text;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Auth;

/// <summary>
/// The sign-in cookie is SameSite=Lax, which a page on another port of the same host passes: API writes must not
/// accept it unless the browser proves the request came from the dashboard's own origin. Reads and API keys are unaffected.
/// </summary>
public sealed class CrossSiteCookieTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    // The test server answers as http://localhost.
    private const string OwnOrigin = "http://localhost";

    [Theory]
    [InlineData("Origin", "http://localhost:8081")] // another port of the same host: same site, other origin
    [InlineData("Origin", "https://localhost")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData(null, null)] // no proof at all
    public async Task A_cookie_write_without_same_origin_proof_is_refused_and_creates_nothing(string? header, string? value)
    {
        var cookie = await EditorCookieAsync();
        var name = $"csrf-{Guid.NewGuid():N}"[..20];
        using var browser = host.CreateAnonymousClient();

        using var response = await browser.SendAsync(Upload(name, cookie, header, value));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<Problem>())!;
        Assert.Equal("Cross-origin request refused", problem.Title);
        Assert.Contains("own origin", problem.Detail);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM datasets WHERE name = $1", name));

        // The session itself survives: the dashboard's own tab keeps working.
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/v1/datasets");
        read.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(read)).StatusCode);
    }

    [Theory]
    [InlineData("Origin", OwnOrigin)]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    public async Task A_cookie_write_from_the_dashboards_own_origin_is_accepted(string header, string value)
    {
        var cookie = await EditorCookieAsync();
        var name = $"same-{Guid.NewGuid():N}"[..20];
        using var browser = host.CreateAnonymousClient();

        using var response = await browser.SendAsync(Upload(name, cookie, header, value));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM datasets WHERE name = $1", name));
    }

    [Fact]
    public async Task Sec_fetch_site_wins_over_a_matching_origin()
    {
        var cookie = await EditorCookieAsync();
        using var browser = host.CreateAnonymousClient();
        using var request = Upload($"both-{Guid.NewGuid():N}"[..20], cookie, "Origin", OwnOrigin);
        request.Headers.Add(SameOriginRequest.FetchSiteHeader, "cross-site");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task An_api_key_write_is_unaffected_by_a_foreign_origin()
    {
        var name = $"key-{Guid.NewGuid():N}"[..20];
        using var client = await host.CreateClientAsync(ApiKeyRole.Editor);
        using var request = Upload(name, cookie: null, "Origin", "http://localhost:8081");
        request.Headers.Add(SameOriginRequest.FetchSiteHeader, "cross-site");

        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(request)).StatusCode);
    }

    private async Task<string> EditorCookieAsync()
    {
        var key = await TestKeys.CreateAsync(host.Services, ApiKeyRole.Editor, "dashboard-editor");
        using var browser = host.CreateAnonymousClient();
        return await DashboardSignIn.CookieAsync(host.Services, browser, key);
    }

    private static HttpRequestMessage Upload(string name, string? cookie, string? header, string? value)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("hello world\n")), "file", "data.txt" },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/datasets") { Content = form };
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (header is not null) request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }
}
