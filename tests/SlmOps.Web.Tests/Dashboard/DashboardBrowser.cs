using System.Net;
using System.Text.RegularExpressions;
using SlmOps.Web.Auth;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Dashboard;

/// <summary>
/// Signs in the way a browser does: GET /signin for the antiforgery cookie and the form's token, POST the key to
/// /account/signin, keep the auth cookie; then fetches pages with it (no API key header, no redirects followed).
/// </summary>
public sealed partial class DashboardBrowser : IDisposable
{
    private readonly HttpClient _client;
    private readonly string _cookie;

    private DashboardBrowser(HttpClient client, string cookie)
    {
        _client = client;
        _cookie = cookie;
    }

    public static async Task<DashboardBrowser> SignInAsync(ApiTestHost host, string apiKey)
    {
        var client = host.CreateAnonymousClient();
        var page = await client.GetAsync("/signin");
        var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery")).Split(';')[0];
        var token = WebUtility.HtmlDecode(TokenField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["apiKey"] = apiKey, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("Cookie", antiforgeryCookie);
        var signIn = await client.SendAsync(request);
        if (signIn.StatusCode != HttpStatusCode.Redirect || !signIn.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            throw new InvalidOperationException($"Sign-in answered {(int)signIn.StatusCode} without a cookie: {await signIn.Content.ReadAsStringAsync()}");
        }
        return new DashboardBrowser(client, cookies.Single(c => c.StartsWith(AuthSchemes.CookieName + "=")).Split(';')[0]);
    }

    /// <summary>The prerendered HTML of a page, HTML-decoded; fails on anything but 200.</summary>
    public async Task<string> PageAsync(string path)
    {
        var response = await GetAsync(path);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode} {response.Headers.Location}");
        }
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET with the sign-in cookie, whatever the answer.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", _cookie);
        return await _client.SendAsync(request);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
