using System.Net.Http.Json;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Tests.Registry;

public sealed class SlmVersionResolverTests(RegistryTestHost host) : IClassFixture<RegistryTestHost>
{
    [Fact]
    public async Task References_resolve_by_alias_by_version_and_to_production_by_default()
    {
        var task = await host.SeedTaskAsync("resolving", RegistryTestHost.Evaluated(host.DatasetVersionA, 1.0), "{}");
        var client = host.CreateClient();
        (await client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/production", new { version = 1 })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/staging", new { version = 2 })).EnsureSuccessStatusCode();
        await using var db = host.CreateDbContext();
        var resolver = new SlmVersionResolver(db);

        var byAlias = await resolver.ResolveAsync($"{task}@staging", CancellationToken.None);
        var byNumber = await resolver.ResolveAsync($"{task}@1", CancellationToken.None);
        var byDefault = await resolver.ResolveAsync(task, CancellationToken.None);

        Assert.Equal((2, "staging", $"{task}@staging"), (byAlias.Version, byAlias.Alias, byAlias.Reference));
        Assert.Equal((1, (string?)null), (byNumber.Version, byNumber.Alias));
        Assert.Equal((1, "production"), (byDefault.Version, byDefault.Alias));
        Assert.Equal(("fft-small", RegistryTestHost.Tokenizer), (byAlias.BaseModelVersion.BaseModel.Name, byAlias.BaseModelVersion.TokenizerSha256));
    }

    [Fact]
    public async Task Unknown_references_say_what_exists()
    {
        var task = await host.SeedTaskAsync("unresolved", RegistryTestHost.Evaluated(host.DatasetVersionA, 1.0));
        await host.CreateClient().PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/staging", new { version = 1 });
        await using var db = host.CreateDbContext();
        var resolver = new SlmVersionResolver(db);

        var alias = await Assert.ThrowsAsync<RegistryNotFoundException>(() => resolver.ResolveAsync(task, "prod", null, CancellationToken.None));
        var version = await Assert.ThrowsAsync<RegistryNotFoundException>(() => resolver.ResolveAsync(task, null, 5, CancellationToken.None));
        var missingTask = await Assert.ThrowsAsync<RegistryNotFoundException>(() => resolver.ResolveAsync("ghost@production", CancellationToken.None));
        var both = await Assert.ThrowsAsync<RegistryBadRequestException>(() => resolver.ResolveAsync(task, "staging", 1, CancellationToken.None));

        Assert.Contains("its aliases are staging (v1)", alias.Message);
        Assert.Equal(404, alias.Status);
        Assert.Contains("its versions are 1 to 1", version.Message);
        Assert.Contains("GET /api/v1/task-models", missingTask.Message);
        Assert.Equal(400, both.Status);
    }
}
