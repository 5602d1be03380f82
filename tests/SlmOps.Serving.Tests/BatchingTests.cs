using System.Net.Http.Json;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving.Tests;

/// <summary>Concurrent requests share one batch per LLM, and each still gets exactly what it would get alone.</summary>
public sealed class BatchingTests(ServingHost host) : IClassFixture<ServingHost>
{
    [Fact]
    public async Task Concurrent_requests_for_four_slm_versions_with_different_prompts_and_lengths_get_their_own_seeded_text()
    {
        var versions = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            var (id, _) = await host.AddFollowerAsync("batched", seed: 70 + i);
            versions.Add(id);
        }
        var numbers = await Task.WhenAll(versions.Select(id => host.ScalarAsync<int>("SELECT version FROM slm_versions WHERE id = $1", id)));
        var prompts = new[] { "hello", "the quick brown", "fox", "hello world, said" };
        var requests = Enumerable.Range(0, 8).Select(i => new
        {
            Slm = versions[i % 4], Version = numbers[i % 4], Prompt = prompts[i % prompts.Length], MaxTokens = 5 + 3 * i, Seed = (ulong)(100 + i),
        }).ToList();

        using var client = host.CreateServingClient();
        var answers = await Task.WhenAll(requests.Select(async r =>
        {
            var response = await client.PostAsJsonAsync("/api/v1/generate",
                new { task = "batched", version = r.Version, prompt = r.Prompt, maxTokens = r.MaxTokens, temperature = 0.9, seed = r.Seed });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return await ServingHost.ReadAsync<GenerateResponse>(response);
        }));

        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            var expected = host.ExpectedText(r.Slm, r.Prompt, new GenerationOptions { MaxNewTokens = r.MaxTokens, Temperature = 0.9, Seed = r.Seed });
            Assert.Equal(expected, answers[i].Text);
            Assert.Equal(r.MaxTokens, answers[i].Tokens);
        }
    }
}
