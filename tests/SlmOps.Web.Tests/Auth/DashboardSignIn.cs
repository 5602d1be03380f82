using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Web.Auth;

namespace SlmOps.Web.Tests.Auth;

/// <summary>The dashboard's sign-in form, posted the way a browser posts a static Blazor page's plain HTML form.</summary>
public static class DashboardSignIn
{
    /// <summary>Posts a form with the antiforgery cookie and field a Blazor page's &lt;AntiforgeryToken /&gt; would render.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(
        IServiceProvider services, HttpClient browser, string path, Dictionary<string, string> fields, string cookie = "", ClaimsPrincipal? user = null)
    {
        var antiforgery = services.GetRequiredService<IAntiforgery>();
        var page = new DefaultHttpContext { RequestServices = services };
        if (user is not null) page.User = user;
        var tokens = antiforgery.GetAndStoreTokens(page);
        var antiforgeryCookie = page.Response.Headers.SetCookie.ToString().Split(';')[0];
        fields[tokens.FormFieldName] = tokens.RequestToken!;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", string.Join("; ", new[] { antiforgeryCookie, cookie }.Where(c => c.Length > 0)));
        return await browser.SendAsync(request);
    }

    /// <summary>Signs in with <paramref name="key"/> and returns the session cookie as a Cookie header value ("slmops.auth=...").</summary>
    public static async Task<string> CookieAsync(IServiceProvider services, HttpClient browser, string key) =>
        (await PostFormAsync(services, browser, "/account/signin", new() { ["apiKey"] = key, ["returnUrl"] = "/" }))
        .Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthSchemes.CookieName + "=")).Split(';')[0];
}
