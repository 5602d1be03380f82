using System.Net;
using System.Net.Http.Json;

namespace SlmOps.Serving.Tests;

/// <summary>A cache that holds two tiny SLMs and not three.</summary>
public sealed class SmallCacheServingHost : ServingHost
{
    protected override long CacheBytes => TinyCheckpoints.FollowerBytes() * 5 / 2;
}

public sealed class ServingCacheTests(SmallCacheServingHost host) : IClassFixture<SmallCacheServingHost>
{
    private readonly HttpClient _client = host.CreateClient();

    private async Task<string> ServeAsync(int version)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/generate", new { task = "cached", version, prompt = "hello", maxTokens = 2, seed = 1 });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await ServingHost.ReadAsync<GenerateResponse>(response)).SlmCache;
    }

    private async Task<SlmCacheDto> CacheAsync() =>
        (await _client.GetFromJsonAsync<ServingStatusDto>("/api/v1/serving/status", ServingHost.Json))!.SlmCache;

    [Fact]
    public async Task The_least_recently_used_slm_is_evicted_when_the_byte_bound_is_exceeded()
    {
        var ids = new List<long>();
        for (var seed = 31; seed <= 33; seed++) ids.Add((await host.AddFollowerAsync("cached", seed)).Id);

        Assert.Equal("miss", await ServeAsync(1));
        Assert.Equal("miss", await ServeAsync(2));
        Assert.Equal("hit", await ServeAsync(1)); // 1 is now the most recently used, 2 the least
        var full = await CacheAsync();
        Assert.Equal((2 * TinyCheckpoints.FollowerBytes(), 0L), (full.Bytes, full.Evictions));

        Assert.Equal("miss", await ServeAsync(3));
        var afterThird = await CacheAsync();
        Assert.Equal([ids[2], ids[0]], afterThird.Entries.Select(e => e.SlmVersionId));
        Assert.Equal(1, afterThird.Evictions);
        Assert.True(afterThird.Bytes <= afterThird.CapacityBytes);

        Assert.Equal("miss", await ServeAsync(2));
        Assert.Equal("hit", await ServeAsync(3));
        var last = await CacheAsync();
        Assert.Equal([ids[2], ids[1]], last.Entries.Select(e => e.SlmVersionId));
        Assert.Equal((2L, 4L, 2L), (last.Evictions, last.Misses, last.Hits));
    }
}

/// <summary>The same two-SLM cache, with a pool that keeps one evicted SLM's memory.</summary>
public sealed class PooledCacheServingHost : ServingHost
{
    protected override long CacheBytes => TinyCheckpoints.FollowerBytes() * 5 / 2;
    public long PoolBytesSetting => TinyCheckpoints.FollowerBytes() * 3 / 2;
    protected override IReadOnlyDictionary<string, string> ExtraServingSettings =>
        new Dictionary<string, string> { ["Serving:PoolBytes"] = PoolBytesSetting.ToString() };
}

public sealed class ServingPoolTests(PooledCacheServingHost host) : IClassFixture<PooledCacheServingHost>
{
    private readonly HttpClient _client = host.CreateClient();

    private async Task<GenerateResponse> GenerateAsync(int version)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/generate",
            new { task = "pooled", version, prompt = "hello there", maxTokens = 6, seed = 5, temperature = 1.0 });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ServingHost.ReadAsync<GenerateResponse>(response);
    }

    private async Task<SlmCacheDto> CacheAsync() =>
        (await _client.GetFromJsonAsync<ServingStatusDto>("/api/v1/serving/status", ServingHost.Json))!.SlmCache;

    [Fact]
    public async Task A_miss_after_an_eviction_refills_pooled_memory_and_answers_exactly_as_a_fresh_load()
    {
        // Three versions of one shape with different weights; the cache holds two, the pool one.
        for (var seed = 41; seed <= 43; seed++) await host.AddFollowerAsync("pooled", seed);

        var fresh = new Dictionary<int, string>();
        foreach (var version in new[] { 1, 2, 3 }) fresh[version] = (await GenerateAsync(version)).Text; // 3 evicts 1 into the pool
        var afterFresh = await CacheAsync();
        Assert.Equal(0L, afterFresh.PoolReuses);
        Assert.Equal(TinyCheckpoints.FollowerBytes(), afterFresh.PoolBytes);
        Assert.Equal(3, fresh.Values.Distinct().Count()); // the versions answer differently, so stale weights would show

        var again = await GenerateAsync(1); // a miss: evicts 2 and refills 1's old module (or 2's) with 1's weights
        var afterRefill = await CacheAsync();

        Assert.Equal("miss", again.SlmCache);
        Assert.Equal(1L, afterRefill.PoolReuses);
        Assert.True(afterRefill.PoolBytes <= host.PoolBytesSetting);
        Assert.Equal(fresh[1], again.Text);

        var two = await GenerateAsync(2); // another miss refilled from the pool: still 2's own answer
        Assert.Equal(fresh[2], two.Text);
        Assert.Equal(2L, (await CacheAsync()).PoolReuses);
    }
}
