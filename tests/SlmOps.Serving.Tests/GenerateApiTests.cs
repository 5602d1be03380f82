using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving.Tests;

public sealed class GenerateApiTests(ServingHost host) : IClassFixture<ServingHost>
{
    private readonly HttpClient _client = host.CreateClient();

    private Task<HttpResponseMessage> PostAsync(object body) => _client.PostAsJsonAsync("/api/v1/generate", body);

    private async Task<GenerateResponse> GenerateAsync(object body)
    {
        var response = await PostAsync(body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ServingHost.ReadAsync<GenerateResponse>(response);
    }

    [Fact]
    public async Task Generates_through_the_production_alias_and_the_same_seed_gives_the_same_text()
    {
        var (id, version) = await host.AddFollowerAsync("poems", seed: 21);
        await host.SetAliasAsync("poems", "production", id);

        var first = await GenerateAsync(new { task = "poems", prompt = "hello world", maxTokens = 12, temperature = 0.8, seed = 7 });
        var again = await GenerateAsync(new { task = "poems", alias = "production", prompt = "hello world", maxTokens = 12, temperature = 0.8, seed = 7 });

        Assert.Equal(("poems", version, "production", id, host.LlmVersionId), (first.Task, first.Version, first.Alias, first.SlmVersionId, first.BaseModelVersion));
        Assert.Equal(12, first.Tokens);
        Assert.Equal(host.ExpectedText(id, "hello world", new GenerationOptions { MaxNewTokens = 12, Temperature = 0.8, Seed = 7 }), first.Text);
        Assert.Equal(7UL, first.Seed);
        Assert.True(first.TokensPerSecond > 0);
        Assert.Equal(first.Text, again.Text);
        Assert.Equal("hit", again.SlmCache);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_seed_all_get_the_same_text()
    {
        var (id, _) = await host.AddFollowerAsync("busy", seed: 22);
        await host.SetAliasAsync("busy", "production", id);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            GenerateAsync(new { task = "busy", prompt = "the quick", maxTokens = 15, seed = 99 })));

        Assert.Single(answers.Select(a => a.Text).Distinct());
    }

    [Fact]
    public async Task Moving_the_alias_serves_the_new_version_on_the_next_request()
    {
        var (v1, _) = await host.AddFollowerAsync("moves", seed: 23);
        var (v2, version2) = await host.AddFollowerAsync("moves", seed: 24);
        await host.SetAliasAsync("moves", "staging", v1);
        var before = await GenerateAsync(new { task = "moves", alias = "staging", prompt = "hello", maxTokens = 20, seed = 3 });

        await host.SetAliasAsync("moves", "staging", v2);
        var after = await GenerateAsync(new { task = "moves", alias = "staging", prompt = "hello", maxTokens = 20, seed = 3 });

        Assert.Equal(v1, before.SlmVersionId);
        Assert.Equal((v2, version2, "miss"), (after.SlmVersionId, after.Version, after.SlmCache));
        Assert.Equal(host.ExpectedText(v2, "hello", new GenerationOptions { MaxNewTokens = 20, Seed = 3 }), after.Text);
    }

    [Fact]
    public async Task An_explicit_version_is_served_without_any_alias()
    {
        await host.AddFollowerAsync("pinned", seed: 25);
        var (_, version2) = await host.AddFollowerAsync("pinned", seed: 26);

        var answer = await GenerateAsync(new { task = "pinned", version = version2, prompt = "dog", maxTokens = 5, seed = 1 });

        Assert.Equal((version2, (string?)null), (answer.Version, answer.Alias));
    }

    [Fact]
    public async Task Compare_also_returns_the_llm_alone_for_the_same_prompt_and_seed()
    {
        var (id, _) = await host.AddFollowerAsync("side", seed: 27);
        await host.SetAliasAsync("side", "production", id);

        var answer = await GenerateAsync(new { task = "side", prompt = "the lazy dog", maxTokens = 10, temperature = 0.9, topK = 5, seed = 5, compare = true });

        Assert.NotNull(answer.LlmAlone);
        var (model, _) = ModelCheckpoint.LoadLanguageModel(host.LlmDir);
        using (model)
        {
            var expected = TinyCheckpoints.Tokenizer.Decode(TextGenerator.Generate(model, TinyCheckpoints.Tokenizer.Encode("the lazy dog"),
                new GenerationOptions { MaxNewTokens = 10, Temperature = 0.9, TopK = 5, Seed = 5 }));
            Assert.Equal(expected, answer.LlmAlone.Text);
        }
        Assert.Equal(10, answer.LlmAlone.Tokens);
        Assert.Equal(host.ExpectedText(id, "the lazy dog", new GenerationOptions { MaxNewTokens = 10, Temperature = 0.9, TopK = 5, Seed = 5 }), answer.Text);
        var plain = await GenerateAsync(new { task = "side", prompt = "the lazy dog", maxTokens = 10, seed = 5 });
        Assert.Null(plain.LlmAlone);
    }

    [Fact]
    public async Task Llm_weights_changed_after_registration_are_refused_naming_both_hashes()
    {
        var sha = TinyCheckpoints.SaveLlm(host.ModelsRoot, seed: 12);
        var llmVersion = await host.RegisterLlmAsync("tampered-llm", sha);
        var follower = TinyCheckpoints.SaveFollower(host.ModelsRoot, Path.Combine(host.ModelsRoot, sha), seed: 28);
        var (id, _) = await host.RegisterSlmAsync("tampered", llmVersion, follower);
        await host.SetAliasAsync("tampered", "production", id);
        var weights = Path.Combine(host.ModelsRoot, sha, ModelCheckpoint.WeightsFile);
        var bytes = await File.ReadAllBytesAsync(weights);
        bytes[^1] ^= 0x55;
        await File.WriteAllBytesAsync(weights, bytes);
        var actual = Sha256Manifest.HashFile(weights);

        var response = await PostAsync(new { task = "tampered", prompt = "hello", maxTokens = 3 });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        Assert.Contains(sha, detail);
        Assert.Contains(actual, detail);
        Assert.Equal(actual, problem.RootElement.GetProperty("actualSha256").GetString());
        var status = await _client.GetFromJsonAsync<ServingStatusDto>("/api/v1/serving/status", ServingHost.Json);
        Assert.DoesNotContain(status!.Llms, l => l.BaseModelVersion == llmVersion);
    }

    /// <summary>
    /// A version's folder replaced wholesale by another follower's files passes the folder's own manifest; the
    /// registry's sha256 of the weights file is what refuses it.
    /// </summary>
    [Fact]
    public async Task An_slm_folder_replaced_after_registration_is_refused_naming_both_hashes()
    {
        var registered = TinyCheckpoints.SaveFollower(host.ModelsRoot, host.LlmDir, seed: 41);
        var other = TinyCheckpoints.SaveFollower(host.ModelsRoot, host.LlmDir, seed: 42);
        var (id, _) = await host.RegisterSlmAsync("swapped", host.LlmVersionId, registered);
        await host.SetAliasAsync("swapped", "production", id);
        var folder = Path.Combine(host.ModelsRoot, registered);
        foreach (var file in Directory.GetFiles(Path.Combine(host.ModelsRoot, other)))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        var actual = Sha256Manifest.HashFile(Path.Combine(folder, ModelCheckpoint.WeightsFile));
        Assert.NotEqual(registered, actual);

        var response = await PostAsync(new { task = "swapped", prompt = "hello", maxTokens = 3 });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        Assert.Contains($"SLM version {id}", detail);
        Assert.Contains(registered, detail);
        Assert.Equal(actual, problem.RootElement.GetProperty("actualSha256").GetString());
    }

    [Fact]
    public async Task Status_lists_the_resident_llm_and_the_cached_slms()
    {
        var (id, _) = await host.AddFollowerAsync("status", seed: 29);
        await host.SetAliasAsync("status", "production", id);
        await GenerateAsync(new { task = "status", prompt = "hello", maxTokens = 2, seed = 1 });
        await GenerateAsync(new { task = "status", prompt = "hello", maxTokens = 2, seed = 1 });

        var status = await _client.GetFromJsonAsync<ServingStatusDto>("/api/v1/serving/status", ServingHost.Json);

        var llm = Assert.Single(status!.Llms, l => l.BaseModelVersion == host.LlmVersionId);
        Assert.Equal(host.LlmSha, llm.WeightsSha256);
        Assert.True(llm.Bytes > 0);
        var entry = Assert.Single(status.SlmCache.Entries, e => e.SlmVersionId == id);
        Assert.Equal(1, entry.Hits);
        Assert.Equal(TinyCheckpoints.FollowerBytes(), entry.Bytes);
        Assert.True(status.SlmCache.Hits >= 1 && status.SlmCache.Misses >= 1);
    }
}
