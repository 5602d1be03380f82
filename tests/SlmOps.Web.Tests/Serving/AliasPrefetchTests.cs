using System.Net;
using System.Net.Http.Json;
using SlmOps.Modeling.Generation;
using SlmOps.Web.Serving;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Serving;

/// <summary>Moving an alias through the registry API loads the version it now names before anyone asks for it.</summary>
public sealed class AliasPrefetchTests(ServingHost host) : IClassFixture<ServingHost>
{
    private readonly HttpClient _client = host.CreateClient();

    private async Task<GenerateResponse> GenerateAsync(object body)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/generate", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ApiTestHost.ReadAsync<GenerateResponse>(response);
    }

    private async Task<IReadOnlyList<long>> CachedAsync() =>
        (await _client.GetFromJsonAsync<ServingStatusDto>("/api/v1/serving/status", ApiTestHost.Json))!.SlmCache.Entries
        .Select(e => e.SlmVersionId).ToList();

    [Fact]
    public async Task An_alias_moved_through_the_api_is_loaded_in_the_background_and_the_next_request_hits_the_cache()
    {
        var (v1, _) = await host.AddFollowerAsync("prefetched", seed: 41);
        var (v2, version2) = await host.AddFollowerAsync("prefetched", seed: 42);
        await host.SetAliasAsync("prefetched", "staging", v1);
        await GenerateAsync(new { task = "prefetched", alias = "staging", prompt = "hello", max_tokens = 2, seed = 1 }); // the LLM is now resident
        Assert.DoesNotContain(v2, await CachedAsync());

        var moved = await _client.PutAsJsonAsync("/api/v1/task-models/prefetched/aliases/staging", new { version = version2 });
        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await CachedAsync()).Contains(v2) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Contains(v2, await CachedAsync());
        var after = await GenerateAsync(new { task = "prefetched", alias = "staging", prompt = "hello", max_tokens = 6, seed = 3 });
        Assert.Equal((v2, "hit"), (after.SlmVersionId, after.SlmCache));
        Assert.Equal(host.ExpectedText(v2, "hello", new GenerationOptions { MaxNewTokens = 6, Seed = 3 }), after.Text);
    }
}
