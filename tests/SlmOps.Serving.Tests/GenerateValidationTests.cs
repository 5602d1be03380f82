using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SlmOps.Serving.Tests;

/// <summary>Requests serving refuses, each with a problem details answer that says what to send instead.</summary>
public sealed class GenerateValidationTests(ServingHost host) : IClassFixture<ServingHost>, IAsyncLifetime
{
    private readonly HttpClient _client = host.CreateClient();

    public async Task InitializeAsync()
    {
        if (await host.ScalarAsync<long>("SELECT count(*) FROM task_models WHERE name = 'checked'") > 0) return;
        var (id, _) = await host.AddFollowerAsync("checked", seed: 41);
        await host.SetAliasAsync("checked", "production", id);
        await host.SetAliasAsync("checked", "staging", id);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Problem> RefusedAsync(HttpStatusCode status, object body)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/generate", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<Problem>(text, ServingHost.Json)!;
    }

    [Fact]
    public async Task An_alias_the_task_lacks_is_404_listing_its_aliases()
    {
        var problem = await RefusedAsync(HttpStatusCode.NotFound, new { task = "checked", alias = "canary", prompt = "hello" });
        Assert.Contains("canary", problem.Detail);
        Assert.Contains("production (v1)", problem.Detail);
        Assert.Contains("staging (v1)", problem.Detail);
    }

    [Fact]
    public async Task An_unknown_version_is_404_naming_the_versions_that_exist()
    {
        var problem = await RefusedAsync(HttpStatusCode.NotFound, new { task = "checked", version = 9, prompt = "hello" });
        Assert.Contains("no version 9", problem.Detail);
        Assert.Contains("1 to 1", problem.Detail);
    }

    [Fact]
    public async Task An_unknown_task_is_404()
    {
        var problem = await RefusedAsync(HttpStatusCode.NotFound, new { task = "nobody", prompt = "hello" });
        Assert.Contains("'nobody'", problem.Detail);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ServingHost.MaxTokens + 1)]
    public async Task Max_tokens_outside_the_configured_range_is_400(int maxTokens)
    {
        var problem = await RefusedAsync(HttpStatusCode.BadRequest, new { task = "checked", prompt = "hello", maxTokens });
        Assert.Contains($"maxTokens must be between 1 and {ServingHost.MaxTokens}", problem.Detail);
        Assert.Contains($"got {maxTokens}", problem.Detail);
    }

    [Fact]
    public async Task A_negative_temperature_is_400()
    {
        var problem = await RefusedAsync(HttpStatusCode.BadRequest, new { task = "checked", prompt = "hello", temperature = -0.5 });
        Assert.Contains("temperature must be 0 (greedy) or more", problem.Detail);
    }

    [Fact]
    public async Task A_negative_topK_is_400()
    {
        var problem = await RefusedAsync(HttpStatusCode.BadRequest, new { task = "checked", prompt = "hello", topK = -1 });
        Assert.Contains("topK must be 0 (no limit) or more", problem.Detail);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_prompt_is_400(string prompt)
    {
        var problem = await RefusedAsync(HttpStatusCode.BadRequest, new { task = "checked", prompt });
        Assert.Contains("prompt is empty", problem.Detail);
    }

    [Fact]
    public async Task A_missing_task_is_400()
    {
        var problem = await RefusedAsync(HttpStatusCode.BadRequest, new { prompt = "hello" });
        Assert.Contains("task is required", problem.Detail);
    }

    [Fact]
    public async Task Characters_the_tokenizer_cannot_encode_are_400_naming_them()
    {
        // Cleaning drops CJK (no transliteration); '#' is printable ASCII but in no token of the tiny vocabulary.
        var problem = await RefusedAsync(HttpStatusCode.BadRequest, new { task = "checked", prompt = "hello 日本 ##" });
        Assert.Contains("'日' (U+65E5)", problem.Detail);
        Assert.Contains("'本' (U+672C)", problem.Detail);
        Assert.Contains("'#' (U+0023)", problem.Detail);
        Assert.DoesNotContain("'h'", problem.Detail);
    }

    [Fact]
    public async Task Transliterated_characters_are_accepted()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/generate", new { task = "checked", prompt = "Héllo wörld", maxTokens = 2 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_version_trained_with_another_method_is_422()
    {
        var (id, version) = await host.RegisterSlmAsync("standalone", host.LlmVersionId, host.LlmSha, method: "slm-alone");
        await host.SetAliasAsync("standalone", "production", id);
        var problem = await RefusedAsync(HttpStatusCode.UnprocessableEntity, new { task = "standalone", prompt = "hello" });
        Assert.Contains($"version {version}", problem.Detail);
        Assert.Contains("'slm-alone'", problem.Detail);
    }
}
