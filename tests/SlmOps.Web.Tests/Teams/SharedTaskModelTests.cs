using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Data.Entities;
using SlmOps.Web.Registry;
using SlmOps.Web.Tests.Apis;
using static SlmOps.Web.Tests.Teams.TeamsTestHost;

namespace SlmOps.Web.Tests.Teams;

/// <summary>
/// A task model beta shares with alpha: alpha reads it (versions, aliases, history) but cannot promote or roll it back;
/// the share is audited in beta's log; lists show a team its own objects and what was shared with it.
/// </summary>
public sealed class SharedTaskModelTests(TeamsTestHost host) : IClassFixture<TeamsTestHost>
{
    [Fact]
    public async Task A_shared_task_model_is_readable_but_not_promotable_by_the_other_team()
    {
        var alpha = await host.ClientAsync(Alpha, ApiKeyRole.Promoter);
        var url = $"/api/v1/task-models/{TaskName(Beta)}";
        Assert.Equal(HttpStatusCode.NotFound, (await alpha.GetAsync(url)).StatusCode);

        var beta = await host.ClientAsync(Beta, ApiKeyRole.Editor);
        var shared = await beta.PostAsJsonAsync($"{url}/shares", new { team = Alpha });
        Assert.Equal(HttpStatusCode.Created, shared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await beta.PostAsJsonAsync($"{url}/shares", new { team = Alpha })).StatusCode); // once is enough

        var detail = await alpha.GetFromJsonAsync<TaskModelDetailDto>(url, ApiTestHost.Json);
        Assert.Equal((TaskName(Beta), Beta, 2), (detail!.Name, detail.Team, detail.Versions.Count));
        Assert.Equal(HttpStatusCode.OK, (await alpha.GetAsync($"{url}/aliases/production")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alpha.GetAsync($"{url}/aliases/production/history")).StatusCode);

        var promote = await alpha.PutAsJsonAsync($"{url}/aliases/production", new { version = 2 });
        Assert.Equal(HttpStatusCode.Forbidden, promote.StatusCode);
        using (var problem = JsonDocument.Parse(await promote.Content.ReadAsStringAsync()))
        {
            Assert.Equal(Beta, problem.RootElement.GetProperty("ownerTeam").GetString());
            Assert.Equal("promoter", problem.RootElement.GetProperty("requiredRole").GetString());
            Assert.Contains("needs the promoter role in team 'beta'", problem.RootElement.GetProperty("detail").GetString());
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await alpha.PostAsync($"{url}/aliases/production/rollback", null)).StatusCode);
        Assert.Equal(1, (await host.AliasStateAsync(TaskName(Beta), "production")).AliasVersion);

        // Beta's own promoter moves it.
        var betaPromoter = await host.ClientAsync(Beta, ApiKeyRole.Promoter);
        Assert.Equal(HttpStatusCode.OK, (await betaPromoter.PutAsJsonAsync($"{url}/aliases/production", new { version = 2 })).StatusCode);

        Assert.Equal(1L, await host.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'share.grant' AND entity_kind = 'share' AND team = $1 AND after ->> 'team' = $2", Beta, Alpha));
        var revoked = await beta.DeleteAsync($"{url}/shares/{Alpha}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alpha.GetAsync(url)).StatusCode);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'share.revoke' AND team = $1", Beta));
    }

    [Fact]
    public async Task Lists_show_a_team_its_own_objects_and_what_was_shared_with_it()
    {
        var gamma = await host.ClientAsync(Gamma, ApiKeyRole.Viewer);
        Assert.Equal(0, (await gamma.GetFromJsonAsync<JsonElement>("/api/v1/datasets")).GetArrayLength());
        Assert.Equal(0, (await gamma.GetFromJsonAsync<JsonElement>("/api/v1/task-models")).GetArrayLength());

        var alpha = await host.ClientAsync(Alpha, ApiKeyRole.Viewer);
        Assert.Equal([DatasetName(Alpha)], await NamesAsync(alpha, "/api/v1/datasets"));
        Assert.Equal([TaskName(Alpha)], await NamesAsync(alpha, "/api/v1/task-models"));
        var runs = await alpha.GetFromJsonAsync<JsonElement>("/api/v1/runs");
        Assert.Equal([$"{Alpha}-run"], runs.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToList());
        Assert.All(runs.GetProperty("items").EnumerateArray(), r => Assert.Equal(Alpha, r.GetProperty("team").GetString()));

        var betaEditor = await host.ClientAsync(Beta, ApiKeyRole.Editor);
        Assert.Equal(HttpStatusCode.Created, (await betaEditor.PostAsJsonAsync($"/api/v1/datasets/{DatasetName(Beta)}/shares", new { team = Gamma })).StatusCode);
        Assert.Equal([DatasetName(Beta)], await NamesAsync(gamma, "/api/v1/datasets"));
        Assert.Equal(0, (await gamma.GetFromJsonAsync<JsonElement>("/api/v1/runs")).GetProperty("items").GetArrayLength()); // runs are never shared

        // Admins see every team's, and can keep one.
        var admin = host.CreateClient();
        Assert.Superset(new HashSet<string> { DatasetName(Alpha), DatasetName(Beta), "reviews" }, (await NamesAsync(admin, "/api/v1/datasets")).ToHashSet());
        Assert.Equal([DatasetName(Beta)], await NamesAsync(admin, $"/api/v1/datasets?team={Beta}"));
    }

    [Fact]
    public async Task The_audit_log_shows_a_team_its_own_entries_and_admins_everything()
    {
        var alphaPromoter = await host.ClientAsync(Alpha, ApiKeyRole.Promoter);
        var betaPromoter = await host.ClientAsync(Beta, ApiKeyRole.Promoter);
        Assert.Equal(HttpStatusCode.OK, (await alphaPromoter.PutAsJsonAsync($"/api/v1/task-models/{TaskName(Alpha)}/aliases/staging", new { version = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await betaPromoter.PutAsJsonAsync($"/api/v1/task-models/{TaskName(Beta)}/aliases/staging", new { version = 1 })).StatusCode);

        var alphaLog = await alphaPromoter.GetFromJsonAsync<AuditPageDto>("/api/v1/audit", ApiTestHost.Json);
        Assert.NotEmpty(alphaLog!.Items);
        Assert.All(alphaLog.Items, e => Assert.Equal(Alpha, e.Team));
        Assert.Contains(alphaLog.Items, e => e.EntityId == $"{TaskName(Alpha)}@staging");
        var peek = await alphaPromoter.GetFromJsonAsync<AuditPageDto>($"/api/v1/audit?team={Beta}", ApiTestHost.Json);
        Assert.Empty(peek!.Items);

        var all = await host.CreateClient().GetFromJsonAsync<AuditPageDto>("/api/v1/audit?limit=500", ApiTestHost.Json);
        Assert.Contains(all!.Items, e => e.Team == Alpha);
        Assert.Contains(all.Items, e => e.Team == Beta);
    }

    private static async Task<List<string>> NamesAsync(HttpClient client, string url) =>
        (await client.GetFromJsonAsync<JsonElement>(url)).EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
}
