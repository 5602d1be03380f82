using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving.Tests;

/// <summary>
/// A prefix task version is served as its LLM reading the prefix before every window's text, with cached decoding (the
/// prefix in cache positions 0..P-1): its tokens are the uncached forward's, and the prompt gets the window less P.
/// </summary>
public sealed class PrefixServingTests(ServingHost host) : IClassFixture<ServingHost>
{
    private const int PrefixLength = 4;
    private static readonly int TextWindow = TinyCheckpoints.LlmConfig.BlockSize - PrefixLength;

    /// <summary>A prefix version of <paramref name="task"/> on an fft LLM (this host's) or a gpt one of its own; its LLM's folder and sha256.</summary>
    private async Task<(long Id, string PrefixDir, string LlmDir, string LlmSha)> PrefixVersionAsync(string task, string architecture, int seed)
    {
        var (llmVersion, llmSha) = (host.LlmVersionId, host.LlmSha);
        if (architecture != "fft")
        {
            llmSha = TinyCheckpoints.SaveLlm(host.ModelsRoot, seed: 13, architecture);
            llmVersion = await host.RegisterLlmAsync($"tiny-{architecture}-llm", llmSha, architecture);
        }
        var llmDir = Path.Combine(host.ModelsRoot, llmSha);
        var sha = TinyCheckpoints.SavePrefix(host.ModelsRoot, llmDir, PrefixLength, seed);
        var (id, _) = await host.RegisterSlmAsync(task, llmVersion, sha, method: "prefix");
        await host.SetAliasAsync(task, "production", id);
        return (id, Path.Combine(host.ModelsRoot, sha), llmDir, llmSha);
    }

    [Theory]
    [InlineData("fft")]
    [InlineData("gpt")]
    public async Task A_prefix_version_generates_what_the_uncached_forward_with_its_prefix_generates(string architecture)
    {
        var (id, prefixDir, llmDir, llmSha) = await PrefixVersionAsync($"prefixed-{architecture}", architecture, seed: 43);
        using var client = host.CreateClient();
        // "hello world" is 6 tokens: 14 more run past the text window of 12, so the window slides too.
        var greedy = new GenerationOptions { MaxNewTokens = 14, Temperature = 0 };
        var response = await client.PostAsJsonAsync("/api/v1/generate",
            new { task = $"prefixed-{architecture}", prompt = "hello world", maxTokens = 14, temperature = 0, compare = true });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var answer = await ServingHost.ReadAsync<GenerateResponse>(response);
        Assert.Equal((id, 14, "miss"), (answer.SlmVersionId, answer.Tokens, answer.SlmCache));
        Assert.Equal(TinyCheckpoints.ExpectedWithPrefix(llmDir, prefixDir, "hello world", greedy), answer.Text);
        Assert.NotEqual(answer.LlmAlone!.Text, answer.Text); // the prefix changes what the LLM says

        var sampled = new { task = $"prefixed-{architecture}", prompt = "the lazy dog", maxTokens = 10, temperature = 0.9, topK = 8, seed = 21 };
        var first = await ServingHost.ReadAsync<GenerateResponse>(await client.PostAsJsonAsync("/api/v1/generate", sampled));
        var again = await ServingHost.ReadAsync<GenerateResponse>(await client.PostAsJsonAsync("/api/v1/generate", sampled));
        Assert.Equal(first.Text, again.Text);
        Assert.Equal("hit", again.SlmCache);
        Assert.Equal(TinyCheckpoints.ExpectedWithPrefix(llmDir, prefixDir, "the lazy dog",
            new GenerationOptions { MaxNewTokens = 10, Temperature = 0.9, TopK = 8, Seed = 21 }), first.Text);

        var resident = host.Serving.Services.GetRequiredService<ResidentLlms>().Loaded.Single(l => l.ModuleVersionId == id);
        resident.Llm.VerifyUnchanged(); // the weights hash taken when the LLM was loaded, before the prefix came
        Assert.Equal(llmSha, Sha256Manifest.HashFile(Path.Combine(llmDir, ModelCheckpoint.WeightsFile)));
    }

    [Fact]
    public async Task A_prefix_versions_alias_is_listed_by_v1_models_and_completes_through_v1_completions()
    {
        var (_, prefixDir, llmDir, _) = await PrefixVersionAsync("prefixed-openai", "fft", seed: 47);
        using var client = host.CreateServingClient();

        var models = await client.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.Contains("prefixed-openai@production", models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));

        var response = await client.PostAsJsonAsync("/v1/completions", new { model = "prefixed-openai@production", prompt = "hello world", max_tokens = 6, temperature = 0.8, seed = 5 });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var completion = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TinyCheckpoints.ExpectedWithPrefix(llmDir, prefixDir, "hello world", new GenerationOptions { MaxNewTokens = 6, Temperature = 0.8, Seed = 5 }),
            completion.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_prompt_longer_than_the_window_less_the_prefix_is_400_naming_the_limit()
    {
        await PrefixVersionAsync("prefixed-long", "fft", seed: 53);
        using var client = host.CreateServingClient();
        const string prompt = "the quick brown fox jumps "; // 13 tokens: fits the LLM's window of 16, not the 12 the prefix leaves
        Assert.Equal(TextWindow + 1, TinyCheckpoints.Tokenizer.Encode(prompt).Length);

        var response = await client.PostAsJsonAsync("/api/v1/generate", new { task = "prefixed-long", prompt, maxTokens = 2 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((TextWindow, PrefixLength, TextWindow + 1),
            (problem.GetProperty("window").GetInt32(), problem.GetProperty("prefixLength").GetInt32(), problem.GetProperty("promptTokens").GetInt32()));
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains($"at most {TextWindow} tokens", detail);
        Assert.Contains($"window of {TinyCheckpoints.LlmConfig.BlockSize} less the {PrefixLength} positions its prefix holds", detail);

        // The same prompt is within the LLM's own window.
        var alone = await client.PostAsJsonAsync("/v1/completions", new { model = "tiny-llm", prompt, max_tokens = 2 });
        Assert.True(alone.StatusCode == HttpStatusCode.OK, await alone.Content.ReadAsStringAsync());
    }
}
