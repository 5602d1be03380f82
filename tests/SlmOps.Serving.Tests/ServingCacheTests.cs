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
