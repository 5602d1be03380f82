using System.Net;
using System.Net.Http.Json;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving.Tests;

/// <summary>A PEFT task version is served as its LLM plus its modules, on an LLM instance of its own.</summary>
public sealed class PeftServingTests(ServingHost host) : IClassFixture<ServingHost>
{
    [Fact]
    public async Task An_adapter_version_generates_what_the_llm_with_its_adapters_generates_and_compare_gives_the_llm_alone()
    {
        var sha = TinyCheckpoints.SaveAdapters(host.ModelsRoot, host.LlmDir, seed: 31);
        var (id, version) = await host.RegisterSlmAsync("adapted", host.LlmVersionId, sha, method: "adapter");
        await host.SetAliasAsync("adapted", "production", id);
        using var client = host.CreateClient();

        var response = await client.PostAsJsonAsync("/api/v1/generate", new { task = "adapted", prompt = "hello world", maxTokens = 12, temperature = 0.8, seed = 5, compare = true });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var first = await ServingHost.ReadAsync<GenerateResponse>(response);

        var options = new GenerationOptions { MaxNewTokens = 12, Temperature = 0.8, Seed = 5 };
        var expected = TinyCheckpoints.ExpectedWithAdapters(host.LlmDir, Path.Combine(host.ModelsRoot, sha), "hello world", options);
        Assert.Equal((id, version, 12), (first.SlmVersionId, first.Version, first.Tokens));
        Assert.Equal(expected, first.Text);
        Assert.Equal(host.ExpectedLlmAloneText("hello world", options), first.LlmAlone!.Text);
        Assert.NotEqual(first.LlmAlone.Text, first.Text); // the adapters change what the LLM says
        Assert.Equal("miss", first.SlmCache);

        var again = await ServingHost.ReadAsync<GenerateResponse>(await client.PostAsJsonAsync("/api/v1/generate",
            new { task = "adapted", prompt = "hello world", maxTokens = 12, temperature = 0.8, seed = 5 }));
        Assert.Equal(first.Text, again.Text);
        Assert.Equal("hit", again.SlmCache);
    }

    [Fact]
    public async Task An_adapter_versions_alias_is_listed_by_v1_models_and_completes_through_v1_completions()
    {
        var sha = TinyCheckpoints.SaveAdapters(host.ModelsRoot, host.LlmDir, seed: 37);
        var (id, _) = await host.RegisterSlmAsync("adapted-openai", host.LlmVersionId, sha, method: "adapter");
        await host.SetAliasAsync("adapted-openai", "production", id);
        using var client = host.CreateServingClient();

        var models = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/models");
        Assert.Contains("adapted-openai@production", models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));

        var response = await client.PostAsJsonAsync("/v1/completions", new { model = "adapted-openai@production", prompt = "hello world", max_tokens = 6, temperature = 0.8, seed = 5 });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var completion = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var options = new GenerationOptions { MaxNewTokens = 6, Temperature = 0.8, Seed = 5 };
        Assert.Equal(TinyCheckpoints.ExpectedWithAdapters(host.LlmDir, Path.Combine(host.ModelsRoot, sha), "hello world", options),
            completion.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_plugin_lora_version_generates_what_the_llm_with_its_plugged_lora_generates()
    {
        var sha = TinyCheckpoints.SavePluginLora(host.ModelsRoot, host.LlmDir, seed: 41);
        var (id, _) = await host.RegisterSlmAsync("plugged-lora", host.LlmVersionId, sha, method: "plugin-peft");
        await host.SetAliasAsync("plugged-lora", "production", id);
        using var client = host.CreateClient();

        var response = await client.PostAsJsonAsync("/api/v1/generate", new { task = "plugged-lora", prompt = "hello world", maxTokens = 12, temperature = 0.8, seed = 5, compare = true });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var generated = await ServingHost.ReadAsync<GenerateResponse>(response);

        var options = new GenerationOptions { MaxNewTokens = 12, Temperature = 0.8, Seed = 5 };
        Assert.Equal(TinyCheckpoints.ExpectedWithAdapters(host.LlmDir, Path.Combine(host.ModelsRoot, sha), "hello world", options, "plugin-peft"), generated.Text);
        Assert.NotEqual(generated.LlmAlone!.Text, generated.Text); // the plugged LoRA changes what the LLM says
    }
}
