using System.Net;
using System.Text.RegularExpressions;
using SlmOps.Web.Components;

namespace SlmOps.Web.Tests.Dashboard;

/// <summary>The files a dashboard page loads are served by the web host itself.</summary>
public sealed partial class DashboardAssetsTests
{
    [Fact]
    public async Task Blazor_web_script_is_the_sdks_static_asset()
    {
        await using var factory = WebHostFactory.ForRealStack();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/_framework/blazor.web.js");
        var script = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.True(script.Length > 100_000, $"blazor.web.js is only {script.Length} characters");
        Assert.Contains("Blazor", script);
    }

    [Theory]
    [InlineData("/_content/Radzen.Blazor/Radzen.Blazor.js", "javascript", "Radzen")]
    [InlineData("/_content/Radzen.Blazor/css/material-base.css", "text/css", ".rz-")]
    public async Task Radzen_static_assets_are_served(string path, string mediaType, string expected)
    {
        await using var factory = WebHostFactory.ForRealStack();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, body);
    }

    [Fact]
    public async Task Sign_in_page_is_a_plain_form_posting_the_key_to_the_account_endpoint()
    {
        // The client sends a key (as a script or a browser extension might) and PostgreSQL cannot check it:
        // the page needs no key, so it still renders instead of failing with a 500.
        await using var factory = WebHostFactory.WithNothingListening(out _, out _);
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync("/signin?error=That+key+was+revoked.&returnUrl=%2Fruns");

        Assert.Contains("<form method=\"post\" action=\"/account/signin\"", html);
        Assert.Contains("name=\"apiKey\"", html);
        Assert.Contains("name=\"__RequestVerificationToken\"", html);
        Assert.Contains("value=\"/runs\"", html);
        Assert.Contains("That key was revoked.", html);
        Assert.Contains("_content/Radzen.Blazor/css/material-base", html);
    }

    [Fact]
    public async Task Every_script_and_stylesheet_the_page_links_is_served()
    {
        await using var factory = WebHostFactory.WithNothingListening(out _, out _);
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync("/signin");
        var linked = LinkedAsset().Matches(html).Select(m => m.Groups["url"].Value).ToList();

        // The addresses are fingerprinted (name.HASH.ext) by MapStaticAssets; each names its asset's stem.
        Assert.Contains(linked, url => url.StartsWith("_framework/blazor.web.", StringComparison.Ordinal));
        Assert.Contains(linked, url => url.StartsWith(Stem(DashboardAssets.RadzenScript), StringComparison.Ordinal));
        Assert.Contains(linked, url => url.StartsWith(Stem(DashboardAssets.RadzenTheme), StringComparison.Ordinal));
        foreach (var url in linked)
        {
            var response = await client.GetAsync("/" + url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
        }
    }

    private static string Stem(string path) => path[..path.LastIndexOf('.')];

    [GeneratedRegex(@"<(?:script|link)[^>]*(?:src|href)=""(?<url>(?:_framework|_content|css)/[^""]+)""")]
    private static partial Regex LinkedAsset();
}
