using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.ApiHost.Auth;

namespace SlmOps.Web.Tests.Auth;

/// <summary>
/// One method + route of the app's /api/v1 surface, with what its role policies require together (null: none): the
/// least ladder role, and whether worker keys are admitted.
/// </summary>
public sealed record ApiEndpoint(string Method, string Pattern, MinimumRoleRequirement? Requirement, bool AllowsAnonymous, string? Accepts)
{
    public override string ToString() => $"{Method} {Pattern}";

    /// <summary>The least ladder role the endpoint admits (admin for the worker-only endpoints); null when it names none.</summary>
    public ApiKeyRole? RequiredRole => Requirement?.Role;

    public bool AdmitsWorkers => Requirement?.AdmitsWorkers ?? false;

    /// <summary>The /api/v1/worker endpoints: worker keys, and admins acting as one.</summary>
    public bool IsWorkerOnly => Requirement?.IsWorkerPolicy ?? false;

    /// <summary>A concrete URL for the pattern: guids for :guid, 1 for numbers, a word otherwise.</summary>
    public string SampleUrl => Regex.Replace(Pattern, @"\{\*?([^}:]+)(:([^}]+))?\}", match => match.Groups[3].Value switch
    {
        var c when c.StartsWith("guid") => Guid.NewGuid().ToString(),
        var c when c.StartsWith("int") || c.StartsWith("long") => "1",
        _ => "nosuch",
    });

    public HttpRequestMessage SampleRequest(string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), SampleUrl);
        // A body of the media type the endpoint accepts, so routing picks it (a wrong type is a 415 before any auth).
        if (Method is "POST" or "PUT" or "PATCH")
            request.Content = Accepts == "multipart/form-data"
                ? new MultipartFormDataContent()
                : new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    /// <summary>Every /api/v1 endpoint the running app maps, read from its endpoint data source (so new groups are covered).</summary>
    public static IReadOnlyList<ApiEndpoint> All(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith("/api/v1", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => new ApiEndpoint(
                method, "/" + e.RoutePattern.RawText!.TrimStart('/'), RequirementOf(e), e.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.FirstOrDefault())))
            .OrderBy(e => e.Pattern).ThenBy(e => e.Method)
            .ToList();

    private static MinimumRoleRequirement? RequirementOf(Endpoint endpoint) => MinimumRoleRequirement.Strictest(
        endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(data => ApiRoles.RequirementOf(data.Policy)).OfType<MinimumRoleRequirement>());

    /// <summary>The team's role table (shared_auth): what each kind of endpoint must demand at least.</summary>
    public ApiKeyRole MinimumExpectedRole => Pattern switch
    {
        _ when Pattern.StartsWith("/api/v1/api-keys") || Pattern.StartsWith("/api/v1/webhooks") => ApiKeyRole.Admin,
        _ when Pattern.StartsWith("/api/v1/teams") && Method is not ("GET" or "HEAD") => ApiKeyRole.Admin,
        _ when Pattern.EndsWith("/shares/") || Pattern.Contains("/shares/{") => Method is "GET" or "HEAD" ? ApiKeyRole.Viewer : ApiKeyRole.Editor,
        _ when Method is "GET" or "HEAD" => ApiKeyRole.Viewer,
        _ when Pattern.Contains("/aliases") => ApiKeyRole.Promoter,
        _ when Pattern.StartsWith("/api/v1/datasets") || Pattern.StartsWith("/api/v1/runs") || Pattern.StartsWith("/api/v1/artifacts") => ApiKeyRole.Editor,
        _ => ApiKeyRole.Viewer,
    };
}
