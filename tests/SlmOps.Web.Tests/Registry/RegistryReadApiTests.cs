using System.Net;
using System.Net.Http.Json;
using SlmOps.Web.Registry;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Registry;

public sealed class RegistryReadApiTests(RegistryTestHost host) : IClassFixture<RegistryTestHost>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task Base_model_versions_show_hashes_architecture_parameters_run_and_evaluation()
    {
        var list = await _client.GetFromJsonAsync<List<BaseModelDto>>("/api/v1/base-models", ApiTestHost.Json);
        var version = await _client.GetFromJsonAsync<BaseModelVersionDto>("/api/v1/base-models/fft-small/versions/1", ApiTestHost.Json);
        var versions = await _client.GetFromJsonAsync<List<BaseModelVersionDto>>("/api/v1/base-models/fft-small/versions", ApiTestHost.Json);

        var model = Assert.Single(list!);
        Assert.Equal(("fft-small", 1, 1), (model.Name, model.VersionCount, model.Latest!.Version));
        Assert.Equal((RegistryTestHost.Weights, RegistryTestHost.Tokenizer, "fft", 12345L, host.PretrainRunId),
            (version!.WeightsSha256, version.TokenizerSha256, version.ArchitectureKind, version.ParameterCount, version.RunId));
        Assert.Equal(64, version.Architecture.GetProperty("window").GetInt32());
        Assert.Equal(2.5, version.Evaluation.GetProperty("val_loss").GetDouble());
        Assert.Equal(version.Id, Assert.Single(versions!).Id);
    }

    [Fact]
    public async Task Slm_versions_show_base_model_coupling_dataset_metrics_and_aliases()
    {
        var task = await host.SeedTaskAsync("read-task", RegistryTestHost.Evaluated(host.DatasetVersionA, 1.5), "{}");
        (await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/staging", new { version = 1 })).EnsureSuccessStatusCode();

        var v1 = await _client.GetFromJsonAsync<SlmVersionDto>($"/api/v1/task-models/{task}/versions/1", ApiTestHost.Json);
        var detail = await _client.GetFromJsonAsync<TaskModelDetailDto>($"/api/v1/task-models/{task}", ApiTestHost.Json);
        var all = await _client.GetFromJsonAsync<List<TaskModelDto>>("/api/v1/task-models", ApiTestHost.Json);

        Assert.Equal(new BaseModelRefDto("fft-small", 1, host.BaseModelVersionId), v1!.BaseModel);
        Assert.Equal(new DatasetRefDto("reviews", 1, host.DatasetVersionA), v1.Dataset);
        Assert.Equal(("tokens", 1000L), (v1.CouplingMode, v1.ParameterCount));
        Assert.Equal(["staging"], v1.Aliases);
        Assert.Equal(1.5, v1.EvaluationMetrics.GetProperty("val_loss").GetDouble());
        Assert.Equal(new[] { 2, 1 }, detail!.Versions.Select(v => v.Version));
        Assert.Equal(1, detail.Aliases["staging"]);
        var listed = Assert.Single(all!, t => t.Name == task);
        Assert.Equal((2, 2), (listed.VersionCount, listed.Latest!.Version));
    }

    [Theory]
    [InlineData("/api/v1/base-models/nope", "GET /api/v1/base-models")]
    [InlineData("/api/v1/base-models/fft-small/versions/7", "its versions are 1")]
    [InlineData("/api/v1/task-models/nope/versions", "GET /api/v1/task-models")]
    public async Task Unknown_models_and_versions_are_404_saying_where_to_look(string path, string hint)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ApiTestHost.ReadAsync<Problem>(response);
        Assert.Contains(hint, problem.Detail);
    }

    [Fact]
    public async Task Versions_have_no_update_endpoints()
    {
        await host.SeedTaskAsync("immutable-task", "{}");

        var put = await _client.PutAsJsonAsync("/api/v1/task-models/immutable-task/versions/1", new { parameterCount = 1 });
        var patch = await _client.PatchAsJsonAsync("/api/v1/base-models/fft-small/versions/1", new { parameterCount = 1 });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, patch.StatusCode);
    }
}
