using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SlmOps.Data.Entities;
using SlmOps.Web.Tests.Apis;
using SlmOps.Web.Tests.Auth;
using static SlmOps.Web.Tests.Teams.TeamsTestHost;

namespace SlmOps.Web.Tests.Teams;

/// <summary>
/// The team boundary, endpoint by endpoint: for every /api/v1 endpoint that names a team's object (read from the app's
/// endpoint data source, so new ones are covered), a key of team alpha with the role the endpoint needs gets 404 on beta's
/// object as if it did not exist; once beta shares its dataset and task model with alpha, reads are admitted and writes
/// refused with 403 naming beta and the role; on alpha's own objects the same key is admitted.
/// </summary>
public sealed partial class TeamBoundaryTests(TeamsTestHost host) : IClassFixture<TeamsTestHost>
{
    /// <summary>Endpoints that name no team's object, and why; the test fails when this list and the app drift apart.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotTeamScoped = new Dictionary<string, string>
    {
        ["/api/v1/api-keys"] = "admin only: keys are managed platform-wide",
        ["/api/v1/webhooks"] = "admin only (a subscription names its team, and hears only that team's changes)",
        ["/api/v1/worker/"] = "worker keys act for every team",
        ["/api/v1/artifacts/"] = "content-addressed blobs: the hash is the capability, shown only on objects the caller sees",
        ["/api/v1/base-models"] = "base models belong to the platform team and every team reads them",
        ["/api/v1/generate"] = "serving: moves to SlmOps.Serving, which asks TeamAccess.TaskModelAsync before generating",
    };

    private static readonly string[] ObjectNotFoundTitles = ["Dataset not found", "Task model not found", "Run not found", "Team not found"];

    private IEnumerable<ApiEndpoint> TeamEndpoints => ApiEndpoint.All(host.Services)
        .Where(e => e.Pattern.Contains('{') && e.RequiredRole is < ApiKeyRole.Admin && !e.IsWorkerOnly
                    && !NotTeamScoped.Keys.Any(prefix => e.Pattern.StartsWith(prefix, StringComparison.Ordinal)))
        // Deletions last, so what the others read is still there.
        .OrderBy(e => e.Method == "DELETE").ThenBy(e => e.Pattern.Contains("/shares") ? 0 : 1).ThenBy(e => e.Pattern);

    [Fact]
    public async Task Every_team_endpoint_hides_other_teams_objects_refuses_writes_to_shared_ones_and_admits_its_own_team()
    {
        var endpoints = TeamEndpoints.ToList();
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/api/v1/datasets/{name}", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/api/v1/task-models/{task}/aliases", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/api/v1/runs/{id", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/api/v1/teams/{name}", StringComparison.Ordinal));
        var problems = new List<string>();

        // Beta's objects, not shared: every answer reads like an object that does not exist.
        foreach (var endpoint in endpoints)
        {
            using var response = await SendAsync(endpoint, Alpha, objectsOf: Beta);
            if (!await IsObjectNotFoundAsync(response)) problems.Add($"unshared {endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        // Shared with alpha: reads admitted, writes and promotions refused naming beta and the role; runs and teams are never shared.
        var beta = await host.ClientAsync(Beta, ApiKeyRole.Editor);
        Assert.Equal(HttpStatusCode.Created, (await beta.PostAsJsonAsync($"/api/v1/datasets/{DatasetName(Beta)}/shares", new { team = Alpha })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await beta.PostAsJsonAsync($"/api/v1/task-models/{TaskName(Beta)}/shares", new { team = Alpha })).StatusCode);
        foreach (var endpoint in endpoints)
        {
            using var response = await SendAsync(endpoint, Alpha, objectsOf: Beta);
            var shareable = endpoint.Pattern.StartsWith("/api/v1/datasets/", StringComparison.Ordinal)
                            || endpoint.Pattern.StartsWith("/api/v1/task-models/", StringComparison.Ordinal);
            if (!shareable)
            {
                if (!await IsObjectNotFoundAsync(response)) problems.Add($"shared, never shareable {endpoint}: {(int)response.StatusCode}");
            }
            else if (endpoint.Method is "GET" or "HEAD")
            {
                if (!await IsAdmittedAsync(response)) problems.Add($"shared read {endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            else if (await RefusalAsync(response) is not { } refusal)
            {
                problems.Add($"shared write {endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            else if (refusal.OwnerTeam != Beta || refusal.RequiredRole != endpoint.RequiredRole!.Value.ToString().ToLowerInvariant()
                     || !refusal.Detail.Contains($"team '{Beta}'", StringComparison.Ordinal))
            {
                problems.Add($"shared write {endpoint}: refused as {refusal}");
            }
        }

        // Alpha's own objects: admitted (the answer may still be a 400 or 409 about the body, never 401/403 or a hidden object).
        foreach (var endpoint in endpoints)
        {
            using var response = await SendAsync(endpoint, Alpha, objectsOf: Alpha);
            if (!await IsAdmittedAsync(response)) problems.Add($"own {endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_endpoint_outside_the_team_checks_is_listed_with_a_reason()
    {
        var all = ApiEndpoint.All(host.Services);
        foreach (var prefix in NotTeamScoped.Keys) Assert.Contains(all, e => e.Pattern.StartsWith(prefix, StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> SendAsync(ApiEndpoint endpoint, string team, string objectsOf)
    {
        var client = await host.ClientAsync(team, endpoint.RequiredRole!.Value);
        using var request = endpoint.SampleRequest(key: null);
        request.RequestUri = new Uri(UrlFor(endpoint.Pattern, objectsOf), UriKind.Relative);
        // A body that is valid where the endpoint checks its body before the object (a 400 reads alike for every object).
        if (endpoint.Method == "POST" && endpoint.Pattern.TrimEnd('/').EndsWith("/shares", StringComparison.Ordinal))
            request.Content = JsonContent.Create(new { team = Gamma });
        if (endpoint.Method == "PUT" && endpoint.Pattern.Contains("/aliases/", StringComparison.Ordinal))
            request.Content = JsonContent.Create(new { version = 1 });
        return await client.SendAsync(request);
    }

    /// <summary>The pattern with <paramref name="team"/>'s objects: its dataset, task model (alias production, version 1), run, and the team itself.</summary>
    private string UrlFor(string pattern, string team) => RouteParameter().Replace(pattern, match => match.Groups[1].Value switch
    {
        "name" when pattern.StartsWith("/api/v1/datasets", StringComparison.Ordinal) => DatasetName(team),
        "name" => team,
        "task" => TaskName(team),
        "id" => host.Run(team).ToString(),
        "version" => "1",
        "alias" => "production",
        "team" => Gamma,
        var other => throw new InvalidOperationException($"The test does not know the route parameter {{{other}}} of {pattern}; teach UrlFor."),
    });

    [GeneratedRegex(@"\{\*?([^}:]+)(:[^}]+)?\}")]
    private static partial Regex RouteParameter();

    private static async Task<bool> IsObjectNotFoundAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.NotFound) return false;
        var title = (await ProblemAsync(response))?.Title;
        return title is not null && ObjectNotFoundTitles.Contains(title, StringComparer.Ordinal);
    }

    private static async Task<bool> IsAdmittedAsync(HttpResponseMessage response) =>
        response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && !await IsObjectNotFoundAsync(response);

    private sealed record Refusal(string? OwnerTeam, string? RequiredRole, string Detail);

    private static async Task<Refusal?> RefusalAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Forbidden) return null;
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = problem.RootElement;
        return new Refusal(
            root.TryGetProperty("ownerTeam", out var owner) ? owner.GetString() : null,
            root.TryGetProperty("requiredRole", out var role) ? role.GetString() : null,
            root.GetProperty("detail").GetString() ?? "");
    }

    private static async Task<Problem?> ProblemAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return null;
        return await response.Content.ReadFromJsonAsync<Problem>();
    }
}
