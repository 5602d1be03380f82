using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Data.Entities;

namespace SlmOps.Serving.Tests;

/// <summary>The serving host applies the team rules: another team's task model is unknown to a key, unless shared.</summary>
public sealed class ServingTeamTests(ServingHost host) : IClassFixture<ServingHost>
{
    [Fact]
    public async Task A_key_of_another_team_cannot_generate_with_or_list_a_task_model_that_was_not_shared_with_it()
    {
        var (id, _) = await host.AddFollowerAsync("team-secret", seed: 91);
        await host.SetAliasAsync("team-secret", "production", id);
        await host.ExecuteAsync("INSERT INTO teams (name, created_by) VALUES ('vision', 'test') ON CONFLICT DO NOTHING");
        var key = await host.Web.CreateKeyAsync(ApiKeyRole.Viewer, "vision-viewer");
        await host.ExecuteAsync("UPDATE api_keys SET team = 'vision' WHERE name = 'vision-viewer'");
        using var outsider = host.Serving.CreateClient(key);
        using var ownTeam = await host.CreateViewerServingClientAsync(); // the default team owns team-secret

        var refused = await outsider.PostAsJsonAsync("/api/v1/generate", new { task = "team-secret", prompt = "hello", maxTokens = 2 });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        var openAi = await outsider.PostAsJsonAsync("/v1/completions", new { model = "team-secret@production", prompt = "hello", max_tokens = 2 });
        Assert.Equal(HttpStatusCode.NotFound, openAi.StatusCode);
        Assert.Equal("model_not_found", JsonDocument.Parse(await openAi.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        var listed = await outsider.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.DoesNotContain("team-secret@production", listed.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Contains("tiny-llm@1", listed.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString())); // base models are everyone's

        var allowed = await ownTeam.PostAsJsonAsync("/api/v1/generate", new { task = "team-secret", prompt = "hello", maxTokens = 2 });
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        await host.ExecuteAsync("INSERT INTO task_model_shares (task_model_id, team, created_by) SELECT id, 'vision', 'test' FROM task_models WHERE name = 'team-secret'");
        var shared = await outsider.PostAsJsonAsync("/api/v1/generate", new { task = "team-secret", prompt = "hello", maxTokens = 2 });
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
    }
}
