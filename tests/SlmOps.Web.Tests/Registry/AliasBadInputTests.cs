using System.Net;
using System.Net.Http.Json;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Registry;

/// <summary>Every refused alias change answers a problem that says what to do, and changes nothing.</summary>
public sealed class AliasBadInputTests(RegistryTestHost host) : IClassFixture<RegistryTestHost>, IAsyncLifetime
{
    private const string TaskName = "bad-input";
    private const string Other = "other-task";
    private readonly HttpClient _client = host.CreateClient();

    public async Task InitializeAsync()
    {
        if (await host.ScalarAsync<long>("SELECT count(*) FROM task_models WHERE name = $1", TaskName) > 0) return;
        await host.SeedTaskAsync(TaskName, RegistryTestHost.Evaluated(host.DatasetVersionA, 1.0), "{}");
        await host.SeedTaskAsync(Other, RegistryTestHost.Evaluated(host.DatasetVersionA, 1.0));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("Production", 400, "lower-case letters")]
    [InlineData("prod_eu", 400, "lower-case letters")]
    [InlineData("42", 400, "all digits")]
    public async Task Alias_names_outside_the_pattern_are_400(string alias, int status, string hint) =>
        await AssertRefused(await _client.PutAsJsonAsync($"/api/v1/task-models/{TaskName}/aliases/{alias}", new { version = 1 }), status, hint, alias);

    [Fact]
    public async Task A_version_that_does_not_exist_is_404_naming_the_versions_there_are() =>
        await AssertRefused(await _client.PutAsJsonAsync($"/api/v1/task-models/{TaskName}/aliases/staging", new { version = 9 }),
            404, "its versions are 1 to 2", "staging");

    [Fact]
    public async Task A_version_of_another_task_is_409()
    {
        var otherId = await host.SlmVersionIdAsync(Other, 1);

        await AssertRefused(await _client.PutAsJsonAsync($"/api/v1/task-models/{TaskName}/aliases/staging", new { slmVersionId = otherId }),
            409, $"version 1 of task '{Other}'", "staging");
    }

    [Fact]
    public async Task An_unevaluated_version_cannot_take_production_without_force()
    {
        var response = await _client.PutAsJsonAsync($"/api/v1/task-models/{TaskName}/aliases/production", new { version = 2 });

        await AssertRefused(response, 409, "POST /api/v1/runs/evaluate", "production");
    }

    [Fact]
    public async Task Neither_or_both_versions_and_force_without_reason_are_400()
    {
        var url = $"/api/v1/task-models/{TaskName}/aliases/production";
        await AssertRefused(await _client.PutAsJsonAsync(url, new { force = false }), 400, "either version", "production");
        await AssertRefused(await _client.PutAsJsonAsync(url, new { version = 1, slmVersionId = 1 }), 400, "either version", "production");
        await AssertRefused(await _client.PutAsJsonAsync(url, new { version = 1, force = true }), 400, "needs a reason", "production");
    }

    [Fact]
    public async Task Unknown_task_and_alias_are_404_and_rollback_without_an_earlier_version_is_409()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PutAsJsonAsync("/api/v1/task-models/ghost/aliases/staging", new { version = 1 })).StatusCode);
        await AssertRefused(await _client.PostAsync($"/api/v1/task-models/{TaskName}/aliases/nowhere/rollback", null), 404, "has no alias 'nowhere'", "nowhere");
        await AssertRefused(await _client.DeleteAsync($"/api/v1/task-models/{TaskName}/aliases/nowhere"), 404, "has no alias 'nowhere'", "nowhere");

        (await _client.PutAsJsonAsync($"/api/v1/task-models/{TaskName}/aliases/fresh", new { version = 1 })).EnsureSuccessStatusCode();
        var before = await host.AliasStateAsync(TaskName, "fresh");
        var rollback = await _client.PostAsync($"/api/v1/task-models/{TaskName}/aliases/fresh/rollback", null);

        Assert.Equal(HttpStatusCode.Conflict, rollback.StatusCode);
        Assert.Contains("no earlier version", (await ApiTestHost.ReadAsync<Problem>(rollback)).Detail);
        Assert.Equal(before, await host.AliasStateAsync(TaskName, "fresh"));
    }

    [Fact]
    public async Task The_gate_check_needs_a_version()
    {
        var response = await _client.GetAsync($"/api/v1/task-models/{TaskName}/aliases/production/gate");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("gate?version=", (await ApiTestHost.ReadAsync<Problem>(response)).Detail);
    }

    private async Task AssertRefused(HttpResponseMessage response, int status, string hint, string alias)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(hint, (await ApiTestHost.ReadAsync<Problem>(response)).Detail);
        if (alias.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && !alias.All(char.IsAsciiDigit) && alias != "fresh")
        {
            Assert.Equal((null, 0, 0), await host.AliasStateAsync(TaskName, alias));
        }
    }
}
