using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using SlmOps.Web.Artifacts;
using SlmOps.Web.Auth;
using SlmOps.Web.Tests.Apis;
using SlmOps.Web.Tests.Artifacts;

namespace SlmOps.Web.Tests.Auth;

/// <summary>A worker key, issued through the API as an admin would for a new worker machine.</summary>
public sealed class WorkerKeyTests(ArtifactsApiHost host) : IClassFixture<ArtifactsApiHost>
{
    [Fact]
    public async Task An_admin_issues_a_worker_key_that_may_upload_and_download_artifacts()
    {
        using var admin = host.CreateClient();
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "gpu-box-1", role = "worker" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await ApiTestHost.ReadAsync<CreatedApiKeyDto>(response);
        Assert.Equal(("gpu-box-1", "worker"), (created.ApiKey.Name, created.ApiKey.Role));
        Assert.Equal("worker", await host.ScalarAsync<string>("SELECT role FROM api_keys WHERE prefix = $1", created.ApiKey.Prefix));

        using var worker = TestKeys.WithKey(host.CreateAnonymousClient(), created.Key);
        var bytes = RandomNumberGenerator.GetBytes(50_000);
        var sha = ArtifactsApiHost.Sha256Of(bytes);
        var put = await worker.PutAsync($"/api/v1/artifacts/{sha}", ArtifactsApiHost.Body(bytes));
        var get = await worker.GetAsync($"/api/v1/artifacts/{sha}");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.True((await ApiTestHost.ReadAsync<ArtifactDto>(put)).Created);
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("GET", "/api/v1/runs")]
    [InlineData("POST", "/api/v1/runs/prepare")]
    [InlineData("GET", "/api/v1/datasets")]
    public async Task A_worker_key_gets_403_from_the_public_api_saying_what_worker_keys_may_call(string method, string path)
    {
        using var worker = await host.CreateClientAsync(Data.Entities.ApiKeyRole.Worker, "gpu-box-2");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = JsonContent.Create(new { name = "sneaky", priority = 1, spec = new { datasetVersionId = 1 } });

        var response = await worker.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<Problem>())!;
        Assert.Contains(AuthProblems.WorkerScope, problem.Detail);
        Assert.Contains("gpu-box-2", problem.Detail);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM runs WHERE name = 'sneaky'"));
    }
}
