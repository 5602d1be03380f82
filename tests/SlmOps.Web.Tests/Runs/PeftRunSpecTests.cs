using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Data.Entities;
using SlmOps.Modeling;
using SlmOps.Modeling.Architectures;
using SlmOps.Web.Tests.Registry;

namespace SlmOps.Web.Tests.Runs;

/// <summary>The PEFT fine-tune methods through POST /api/v1/runs/finetune: their settings are checked against the base model's shape.</summary>
public sealed class PeftRunSpecTests(RegistryTestHost host) : IClassFixture<RegistryTestHost>
{
    private async Task<HttpResponseMessage> SubmitAsync(string name, object extra)
    {
        // A base model version whose architecture is a real model config (versions are immutable: a new one per test).
        long baseVersion;
        await using (var db = host.CreateDbContext())
        {
            var version = new BaseModelVersion
            {
                BaseModel = new BaseModel { Name = $"{name}-llm", CreatedBy = "test" }, Version = 1, ArchitectureKind = ArchitectureKind.Fft,
                Architecture = JsonSerializer.Serialize<ModelConfig>(ModelPresets.TinyFft(100, 32), ModelingJson.Options),
                ParameterCount = 1, WeightsSha256 = RegistryTestHost.Weights, TokenizerSha256 = RegistryTestHost.Tokenizer, CreatedBy = "test",
            };
            db.BaseModelVersions.Add(version);
            await db.SaveChangesAsync();
            baseVersion = version.Id;
        }
        await host.ExecuteAsync("UPDATE dataset_versions SET prepared_artifact_sha256 = $1, tokenizer_sha256 = $1 WHERE id = $2", RegistryTestHost.Tokenizer, host.DatasetVersionA);
        var spec = JsonSerializer.SerializeToElement(new { baseModelVersionId = baseVersion, datasetVersionId = host.DatasetVersionA, taskModelName = name, training = new { steps = 1 } });
        var merged = spec.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        foreach (var p in JsonSerializer.SerializeToElement(extra).EnumerateObject()) merged[p.Name] = p.Value;
        using var client = await host.CreateClientAsync(ApiKeyRole.Editor);
        return await client.PostAsJsonAsync("/api/v1/runs/finetune", new { name, priority = 0, spec = merged });
    }

    private static async Task<Dictionary<string, string>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => string.Join(" ", p.Value.EnumerateArray().Select(m => m.GetString())));
    }

    [Theory]
    [InlineData("adapter", "adapterBottleneck", 40, "between 1 and the model's width 32, got 40")]
    [InlineData("prefix", "prefixLength", 32, "leaves no room in the model's window of 32")]
    [InlineData("plugin-peft", "pluginRatio", 64, "residual width 32/64 = 0")]
    [InlineData("plugin-peft", "pluginSmallLayers", 3, "k must be in 1..2")]
    public async Task Bad_peft_settings_are_refused_naming_the_field_and_the_limit(string method, string field, int value, string message)
    {
        var response = await SubmitAsync($"peft-bad-{method}-{field.ToLowerInvariant()}", new Dictionary<string, object> { ["method"] = method, [field] = value });
        var errors = await ErrorsAsync(response);
        Assert.Contains(message, errors[field]);
    }

    [Theory]
    [InlineData("adapter")]
    [InlineData("prefix")]
    [InlineData("plugin-peft")]
    public async Task Each_peft_method_is_accepted_with_its_defaults(string method)
    {
        var response = await SubmitAsync($"peft-ok-{method}", new { method });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal(method, await host.ScalarAsync<string>("SELECT config->>'method' FROM runs WHERE name = $1", $"peft-ok-{method}"));
    }

    [Fact]
    public async Task A_prefix_run_whose_block_size_leaves_no_room_for_the_prefix_is_refused_naming_the_largest_that_fits()
    {
        var response = await SubmitAsync("peft-prefix-block", new { method = "prefix", prefixLength = 4, training = new { steps = 1, blockSize = 32 } });

        var errors = await ErrorsAsync(response);
        Assert.Contains("set training.blockSize to at most 28", errors["training.blockSize"]);
    }
}
