using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Data.Entities;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Auth;

/// <summary>
/// Deny by default: every endpoint of the whole app (not only /api/v1) either names a policy, is on the short list of
/// what must be anonymous, or falls to the fallback policy, which wants a signed-in viewer or higher.
/// </summary>
public sealed class FallbackPolicyTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    /// <summary>What must answer without credentials: probes, the API description, signing in (page and form).</summary>
    private static readonly string[] AnonymousByDesign =
        ["/health", "/health/ready", "/openapi/{documentName}.json", "/account/signin", "/account/signout", "/signin"];

    private sealed record AppEndpoint(string Method, string Pattern, bool AllowsAnonymous, bool NamesAPolicy)
    {
        public override string ToString() => $"{Method} {Pattern}";
    }

    /// <summary>Every endpoint but the static files (MapStaticAssets), which are anonymous by design: the sign-in page needs them.</summary>
    private IReadOnlyList<AppEndpoint> Endpoints =>
        host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => new AppEndpoint(
                method, "/" + e.RoutePattern.RawText?.TrimStart('/'),
                e.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0)))
            .ToList();

    [Fact]
    public async Task A_fallback_policy_exists_and_refuses_anonymous_callers()
    {
        var fallback = await host.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        Assert.NotNull(fallback);
        Assert.NotEmpty(fallback.Requirements);
    }

    [Fact]
    public void Only_the_endpoints_that_must_be_anonymous_allow_anonymous_callers()
    {
        var anonymous = Endpoints.Where(e => e.AllowsAnonymous).Select(e => e.Pattern).Distinct().Order().ToList();
        Assert.Equal(AnonymousByDesign.Order(), anonymous);
    }

    [Fact]
    public async Task Endpoints_that_name_no_policy_are_closed_to_anonymous_callers_and_worker_keys()
    {
        // Today these are the Blazor hub's (/_blazor/...): the proof that the fallback, not luck, protects them.
        var unnamed = Endpoints.Where(e => !e.AllowsAnonymous && !e.NamesAPolicy && !e.Pattern.Contains('{')).ToList();
        Assert.NotEmpty(unnamed);
        using var anonymous = host.CreateAnonymousClient();
        using var worker = await host.CreateClientAsync(ApiKeyRole.Worker);
        using var viewer = await host.CreateClientAsync(ApiKeyRole.Viewer);

        foreach (var endpoint in unnamed)
        {
            using var refused = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Pattern));
            Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect,
                $"{endpoint} answered {(int)refused.StatusCode} to an anonymous caller");
            if (refused.StatusCode == HttpStatusCode.Redirect) Assert.StartsWith("/signin", refused.Headers.Location!.PathAndQuery);

            using var workerAnswer = await worker.SendAsync(new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Pattern));
            Assert.True(workerAnswer.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect,
                $"{endpoint} answered {(int)workerAnswer.StatusCode} to a worker key");

            using var admitted = await viewer.SendAsync(new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Pattern));
            Assert.True(admitted.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                $"{endpoint} answered {(int)admitted.StatusCode} to a viewer");
        }
    }

    [Fact]
    public async Task Sign_in_health_the_api_description_static_files_and_unknown_paths_stay_reachable_without_a_key()
    {
        using var client = host.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/signin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/css/app.css")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/_framework/blazor.web.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/nothing-here")).StatusCode);
    }
}
