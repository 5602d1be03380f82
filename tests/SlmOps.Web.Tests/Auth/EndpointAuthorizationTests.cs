using System.Net;
using System.Net.Http.Json;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Auth;

public sealed class EndpointAuthorizationTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private IReadOnlyList<ApiEndpoint> Endpoints => ApiEndpoint.All(host.Services);

    [Fact]
    public void Every_api_v1_endpoint_demands_a_role_and_at_least_the_one_the_role_table_names()
    {
        Assert.Contains(Endpoints, e => e.Pattern.StartsWith("/api/v1/runs"));
        Assert.Contains(Endpoints, e => e.Pattern.StartsWith("/api/v1/api-keys"));
        var wrong = Endpoints
            .Where(e => e.AllowsAnonymous || e.RequiredRole is null || e.RequiredRole < e.MinimumExpectedRole)
            .Select(e => $"{e} requires {e.RequiredRole?.ToString() ?? "nothing"} (anonymous allowed: {e.AllowsAnonymous}); expected at least {e.MinimumExpectedRole}")
            .ToList();
        Assert.True(wrong.Count == 0, "Add .RequireApiRole(ApiKeyRole.X) to these endpoints or their group:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Reads_need_viewer_and_writes_on_datasets_and_runs_need_exactly_editor()
    {
        Assert.All(Endpoints.Where(e => e.Method is "GET" or "HEAD" && !e.IsWorkerOnly
                                        && !e.Pattern.StartsWith("/api/v1/api-keys") && !e.Pattern.StartsWith("/api/v1/webhooks")),
            e => Assert.True(e.RequiredRole == ApiKeyRole.Viewer, $"{e} requires {e.RequiredRole}"));
        Assert.All(Endpoints.Where(e => e.Method != "GET" && (e.Pattern.StartsWith("/api/v1/datasets") || e.Pattern.StartsWith("/api/v1/runs"))),
            e => Assert.True(e.RequiredRole == ApiKeyRole.Editor, $"{e} requires {e.RequiredRole}"));
    }

    [Fact]
    public async Task Every_api_v1_endpoint_answers_401_with_a_problem_to_no_key_an_unknown_key_a_malformed_key_and_a_revoked_key()
    {
        var revoked = await TestKeys.CreateAsync(host.Services, ApiKeyRole.Admin, "to-be-revoked");
        ApiKeyFormat.TryGetPrefix(revoked, out var revokedPrefix);
        using (var admin = host.CreateClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/api-keys/{revokedPrefix}")).StatusCode);
        }
        var (unknown, _) = ApiKeyFormat.Generate();
        var cases = new (string Case, string? Key, string DetailMentions)[]
        {
            ("no key", null, "needs an API key"),
            ("unknown key", unknown, "is not known"),
            ("malformed key", "letmein", "malformed"),
            ("revoked key", revoked, "was revoked"),
        };
        using var client = host.CreateAnonymousClient();

        foreach (var endpoint in Endpoints)
        {
            foreach (var (name, key, mentions) in cases)
            {
                using var response = await client.SendAsync(endpoint.SampleRequest(key));
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{endpoint} with {name}: {(int)response.StatusCode}");
                Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
                if (endpoint.Method == "HEAD") continue; // a HEAD answer has no body to read
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = (await response.Content.ReadFromJsonAsync<Problem>())!;
                Assert.Equal(401, problem.Status);
                Assert.Contains(mentions, problem.Detail);
                Assert.Contains("Authorization: Bearer <key>", problem.Detail);
            }
        }
    }

    [Fact]
    public async Task Every_endpoint_answers_403_naming_both_roles_to_the_role_just_below_and_admits_the_role_it_requires()
    {
        var keys = new Dictionary<ApiKeyRole, string>();
        foreach (var role in ApiRoles.All) keys[role] = await TestKeys.CreateAsync(host.Services, role, $"probe-{ApiRoles.Name(role)}");
        using var client = host.CreateAnonymousClient();

        foreach (var endpoint in Endpoints)
        {
            var required = endpoint.RequiredRole!.Value;
            if (required > ApiKeyRole.Viewer)
            {
                var below = required - 1;
                using var refused = await client.SendAsync(endpoint.SampleRequest(keys[below]));
                Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{endpoint} with {below}: {(int)refused.StatusCode}");
                var problem = (await refused.Content.ReadFromJsonAsync<Problem>())!;
                Assert.Contains($"needs the {ApiRoles.Name(required)} role", problem.Detail);
                Assert.Contains($"has {ApiRoles.Name(below)}", problem.Detail);
            }
            using var admitted = await client.SendAsync(endpoint.SampleRequest(keys[required]));
            Assert.True(admitted.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                $"{endpoint} with {required}: {(int)admitted.StatusCode}");
        }
    }

    [Fact]
    public async Task A_worker_key_gets_403_saying_what_worker_keys_may_call_from_every_endpoint_that_does_not_admit_workers()
    {
        var worker = await TestKeys.CreateAsync(host.Services, ApiKeyRole.Worker, "probe-worker");
        using var client = host.CreateAnonymousClient();
        Assert.Contains(Endpoints, e => e.AdmitsWorkers);

        foreach (var endpoint in Endpoints)
        {
            using var response = await client.SendAsync(endpoint.SampleRequest(worker));
            if (endpoint.AdmitsWorkers)
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                    $"{endpoint} with worker: {(int)response.StatusCode}");
                continue;
            }
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{endpoint} with worker: {(int)response.StatusCode}");
            if (endpoint.Method == "HEAD") continue;
            var problem = (await response.Content.ReadFromJsonAsync<Problem>())!;
            Assert.Contains(AuthProblems.WorkerScope, problem.Detail);
        }
    }

    [Fact]
    public async Task Health_and_the_openapi_document_stay_anonymous()
    {
        using var client = host.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task The_x_api_key_header_works_like_the_bearer_header()
    {
        using var client = host.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/workers");
        request.Headers.Add(AuthSchemes.ApiKeyHeader, host.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }
}
