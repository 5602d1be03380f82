using System.Net;
using System.Net.Http.Json;

namespace SlmOps.Serving.Tests;

/// <summary>Room for one tiny LLM's parameters: a second base model version unloads the first once it is idle.</summary>
public sealed class OneLlmServingHost : ServingHost
{
    protected override long LlmBytes => TinyCheckpoints.LlmBytes() * 3 / 2;
}

public sealed class ResidentLlmBudgetTests(OneLlmServingHost host) : IClassFixture<OneLlmServingHost>
{
    [Fact]
    public async Task A_viewer_cannot_grow_serving_memory_without_bound_the_idle_llm_is_unloaded_for_the_next()
    {
        var second = TinyCheckpoints.SaveLlm(host.ModelsRoot, seed: 12);
        var secondId = await host.RegisterLlmAsync("tiny-llm-2", second);
        using var client = await host.CreateViewerServingClientAsync();

        foreach (var model in new[] { "tiny-llm@1", "tiny-llm-2@1", "tiny-llm@1" })
        {
            var response = await client.PostAsJsonAsync("/v1/completions", new { model, prompt = "hello", max_tokens = 2, seed = 1 });
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var status = (await client.GetFromJsonAsync<ServingStatusDto>("/api/v1/serving/status", ServingHost.Json))!;
            var resident = Assert.Single(status.Llms); // never two at once
            Assert.Equal(model == "tiny-llm@1" ? host.LlmVersionId : secondId, resident.BaseModelVersion);
        }
    }
}
