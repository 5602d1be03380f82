using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SlmOps.Web.Tests.Dashboard;

/// <summary>With authentication configured, dashboard pages send an anonymous visitor to the sign-in page.</summary>
public sealed class DashboardSignInTests
{
    [Theory]
    [InlineData("/runs?status=Running", "/signin?returnUrl=%2Fruns%3Fstatus%3DRunning")]
    [InlineData("/", "/signin?returnUrl=%2F")]
    public async Task An_anonymous_visitor_is_redirected_to_sign_in_and_back(string page, string expected)
    {
        await using var factory = WebHostFactory.ForRealStack().WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddAuthentication(NobodyHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, NobodyHandler>(NobodyHandler.SchemeName, null)));
        using var client = Anonymous(factory);

        var response = await client.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, new Uri(client.BaseAddress!, response.Headers.Location!).PathAndQuery);
    }

    [Fact]
    public async Task The_sign_in_page_itself_stays_open_to_anonymous_visitors()
    {
        await using var factory = WebHostFactory.ForRealStack().WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddAuthentication(NobodyHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, NobodyHandler>(NobodyHandler.SchemeName, null)));
        using var client = Anonymous(factory);

        var response = await client.GetAsync("/signin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // The shared factory may give its clients a key; these requests must carry none.
    private static HttpClient Anonymous(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = null;
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        return client;
    }

    /// <summary>An authentication scheme under which nobody is ever signed in.</summary>
    private sealed class NobodyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Nobody";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
