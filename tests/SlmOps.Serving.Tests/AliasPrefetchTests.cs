using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Contracts.Events;
using System.Net.Http.Json;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving.Tests;

/// <summary>Moving an alias through the registry API loads the version it now names before anyone asks for it.</summary>
public sealed class AliasPrefetchTests(ServingHost host) : IClassFixture<ServingHost>
{
    private readonly HttpClient _client = host.CreateClient();

    private async Task<GenerateResponse> GenerateAsync(object body)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/generate", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ServingHost.ReadAsync<GenerateResponse>(response);
    }

    private Task<IReadOnlyList<long>> CachedAsync() => CachedAsync(_client);

    private static async Task<IReadOnlyList<long>> CachedAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<ServingStatusDto>("/api/v1/serving/status", ServingHost.Json))!.SlmCache.Entries
        .Select(e => e.SlmVersionId).ToList();

    private static async Task<IReadOnlyList<long>> CachedWithinAsync(HttpClient client, long slmVersionId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await CachedAsync(client)).Contains(slmVersionId) && DateTime.UtcNow < deadline) await Task.Delay(50);
        return await CachedAsync(client);
    }

    [Fact]
    public async Task An_alias_moved_through_the_api_is_loaded_in_the_background_and_the_next_request_hits_the_cache()
    {
        var (v1, _) = await host.AddFollowerAsync("prefetched", seed: 41);
        var (v2, version2) = await host.AddFollowerAsync("prefetched", seed: 42);
        await host.SetAliasAsync("prefetched", "staging", v1);
        await GenerateAsync(new { task = "prefetched", alias = "staging", prompt = "hello", maxTokens = 2, seed = 1 }); // the LLM is now resident
        Assert.DoesNotContain(v2, await CachedAsync());

        var moved = await _client.PutAsJsonAsync("/api/v1/task-models/prefetched/aliases/staging", new { version = version2 });
        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await CachedAsync()).Contains(v2) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Contains(v2, await CachedAsync());
        var after = await GenerateAsync(new { task = "prefetched", alias = "staging", prompt = "hello", maxTokens = 6, seed = 3 });
        Assert.Equal((v2, "hit"), (after.SlmVersionId, after.SlmCache));
        Assert.Equal(host.ExpectedText(v2, "hello", new GenerationOptions { MaxNewTokens = 6, Seed = 3 }), after.Text);
    }

    [Fact]
    public async Task An_alias_moved_through_the_web_host_is_prefetched_by_every_serving_instance_and_moves_from_another_deployment_are_ignored()
    {
        var (v1, _) = await host.AddFollowerAsync("replicated", seed: 51);
        var (foreign, _) = await host.AddFollowerAsync("replicated", seed: 52);
        var (v3, version3) = await host.AddFollowerAsync("replicated", seed: 53);
        await host.SetAliasAsync("replicated", "production", v1);
        await using var replica = await host.StartReplicaAsync();
        using var replicaClient = replica.CreateClient(host.AdminKey);
        var first = await replicaClient.PostAsJsonAsync("/api/v1/generate", new { task = "replicated", alias = "production", prompt = "hello", maxTokens = 2, seed = 1 });
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync()); // the replica now holds the LLM

        // A move announced by another deployment (another database on the same broker) names an id this registry has.
        await replica.Services.GetRequiredService<IBus>().Publish(
            new AliasMoved("another-deployment:1", "replicated", "production", 1, 2, foreign, DateTimeOffset.UtcNow));
        var moved = await _client.PutAsJsonAsync("/api/v1/task-models/replicated/aliases/production", new { version = version3, force = true, reason = "test" });
        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());

        // The replica's queue takes one message at a time in order, so once v3 is cached the foreign move was handled.
        var cached = await CachedWithinAsync(replicaClient, v3);
        Assert.Contains(v3, cached);
        Assert.DoesNotContain(foreign, cached);
        var after = await replicaClient.PostAsJsonAsync("/api/v1/generate", new { task = "replicated", alias = "production", prompt = "hello", maxTokens = 2, seed = 2 });
        var served = await ServingHost.ReadAsync<GenerateResponse>(after);
        Assert.Equal((v3, "hit"), (served.SlmVersionId, served.SlmCache));
    }
}
