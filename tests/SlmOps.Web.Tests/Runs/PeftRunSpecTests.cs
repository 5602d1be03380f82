using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
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
        var baseVersion = await BaseVersionAsync($"{name}-llm", ModelPresets.TinyFft(100, 32), RegistryTestHost.Tokenizer);
        await host.ExecuteAsync("UPDATE dataset_versions SET prepared_artifact_sha256 = $1, tokenizer_sha256 = $1 WHERE id = $2", RegistryTestHost.Tokenizer, host.DatasetVersionA);
        var spec = JsonSerializer.SerializeToElement(new { baseModelVersionId = baseVersion, datasetVersionId = host.DatasetVersionA, taskModelName = name, training = new { steps = 1 } });
        var merged = spec.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        foreach (var p in JsonSerializer.SerializeToElement(extra).EnumerateObject()) merged[p.Name] = p.Value;
        using var client = await host.CreateClientAsync(ApiKeyRole.Editor);
        return await client.PostAsJsonAsync("/api/v1/runs/finetune", new { name, priority = 0, spec = merged });
    }

    /// <summary>A base model version whose architecture is a real model config (versions are immutable: a new one per test).</summary>
    private async Task<long> BaseVersionAsync(string name, ModelConfig config, string tokenizerSha256)
    {
        await using var db = host.CreateDbContext();
        if (!await db.Artifacts.AnyAsync(a => a.Sha256 == tokenizerSha256))
            db.Artifacts.Add(new Artifact { Sha256 = tokenizerSha256, SizeBytes = 10, MediaType = "application/json", Uri = "t" });
        var version = new BaseModelVersion
        {
            BaseModel = new BaseModel { Name = name, CreatedBy = "test" }, Version = 1,
            ArchitectureKind = config is FftConfig ? ArchitectureKind.Fft : ArchitectureKind.Gpt,
            Architecture = JsonSerializer.Serialize(config, ModelingJson.Options),
            ParameterCount = 1, WeightsSha256 = RegistryTestHost.Weights, TokenizerSha256 = tokenizerSha256, CreatedBy = "test",
        };
        db.BaseModelVersions.Add(version);
        await db.SaveChangesAsync();
        return version.Id;
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

    [Fact]
    public async Task A_plugin_module_that_does_not_exist_is_refused_naming_the_field_and_lora_is_accepted()
    {
        var errors = await ErrorsAsync(await SubmitAsync("peft-plugin-prompt", new { method = "plugin-peft", pluginModule = "prompt" }));
        Assert.Contains("must be one of adapter, lora, got 'prompt'", errors["pluginModule"]);

        var response = await SubmitAsync("peft-plugin-lora", new { method = "plugin-peft", pluginModule = "lora", loraRank = 4 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal("lora", await host.ScalarAsync<string>("SELECT config->>'pluginModule' FROM runs WHERE name = $1", "peft-plugin-lora"));
    }

    [Fact]
    public async Task A_registry_small_model_with_another_tokenizer_is_refused_naming_both_hashes()
    {
        const string other = "3333333333333333333333333333333333333333333333333333333333333333";
        var small = await BaseVersionAsync("peft-small-other-tokenizer", ModelPresets.TinyFft(100, 32) with { Width = 16, Layers = 1 }, other);

        var errors = await ErrorsAsync(await SubmitAsync("peft-small-tokenizer", new { method = "plugin-peft", pluginModule = "lora", pluginSmallBaseModelVersionId = small }));

        Assert.Contains($"sha256 {other}", errors["pluginSmallBaseModelVersionId"]);
        Assert.Contains($"sha256 {RegistryTestHost.Tokenizer}", errors["pluginSmallBaseModelVersionId"]);
    }

    [Fact]
    public async Task A_registry_small_model_that_is_missing_or_cannot_carry_the_modules_is_refused_and_a_fitting_one_is_accepted()
    {
        var missing = await ErrorsAsync(await SubmitAsync("peft-small-missing", new { method = "plugin-peft", pluginSmallBaseModelVersionId = 999_999_999L }));
        Assert.Contains("Base model version 999999999 does not exist", missing["pluginSmallBaseModelVersionId"]);

        var gpt = await BaseVersionAsync("peft-small-gpt", ModelPresets.TinyGpt(100, 32), RegistryTestHost.Tokenizer);
        var arch = await ErrorsAsync(await SubmitAsync("peft-small-gpt", new { method = "plugin-peft", pluginModule = "lora", pluginSmallBaseModelVersionId = gpt }));
        Assert.Contains("must have the LLM's architecture (fft)", arch["pluginSmallBaseModelVersionId"]);

        var narrow = await BaseVersionAsync("peft-small-narrow", ModelPresets.TinyFft(100, 32) with { Width = 4, Layers = 1 }, RegistryTestHost.Tokenizer);
        var bottleneck = await ErrorsAsync(await SubmitAsync("peft-small-narrow", new { method = "plugin-peft", adapterBottleneck = 8, pluginSmallBaseModelVersionId = narrow }));
        Assert.Contains("On the small model: The adapter bottleneck must be between 1 and the model's width 4, got 8", bottleneck["pluginSmallBaseModelVersionId"]);

        var fits = await BaseVersionAsync("peft-small-fits", ModelPresets.TinyFft(100, 32) with { Width = 16, Layers = 1 }, RegistryTestHost.Tokenizer);
        var response = await SubmitAsync("peft-small-fits", new { method = "plugin-peft", pluginModule = "lora", pluginSmallBaseModelVersionId = fits });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
