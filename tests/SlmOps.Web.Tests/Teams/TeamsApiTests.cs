using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Teams;
using SlmOps.Web.Tests.Apis;
using SlmOps.Web.Tests.Auth;
using static SlmOps.Web.Tests.Teams.TeamsTestHost;

namespace SlmOps.Web.Tests.Teams;

/// <summary>Teams as admins manage them, and the bad input the API refuses with problem details that say what to do.</summary>
public sealed class TeamsApiTests(TeamsTestHost host) : IClassFixture<TeamsTestHost>
{
    private readonly HttpClient _admin = host.CreateClient();

    [Theory]
    [InlineData("")]
    [InlineData("Vision")]
    [InlineData("vision team")]
    [InlineData("vision_team")]
    [InlineData("a-name-that-is-longer-than-sixty-four-characters-which-the-api-refuses")]
    public async Task A_team_name_outside_a_z_0_9_dash_of_1_to_64_characters_is_refused(string name)
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/teams", new { name });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiTestHost.ReadAsync<Problem>(response);
        Assert.Contains("1 to 64 characters of a-z, 0-9 and '-'", problem.Detail);
        Assert.Contains($"'{name}'", problem.Detail);
    }

    [Fact]
    public async Task A_duplicate_team_is_a_conflict_and_a_new_one_is_created_with_its_quotas_and_audited()
    {
        var created = await _admin.PostAsJsonAsync("/api/v1/teams", new { name = "search", description = "ranking", maxRunningRuns = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var team = await ApiTestHost.ReadAsync<TeamDto>(created);
        Assert.Equal(("search", "ranking", 2, (int?)null, false), (team.Name, team.Description, team.MaxRunningRuns, team.MaxQueuedRuns, team.Platform));

        var duplicate = await _admin.PostAsJsonAsync("/api/v1/teams", new { name = "search" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("already exists", (await ApiTestHost.ReadAsync<Problem>(duplicate)).Detail);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'team.create' AND entity_id = 'search' AND team = 'search'"));
    }

    [Fact]
    public async Task Deleting_a_team_that_owns_objects_is_a_conflict_naming_what_it_owns()
    {
        var response = await _admin.DeleteAsync($"/api/v1/teams/{Alpha}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = (await ApiTestHost.ReadAsync<Problem>(response)).Detail!;
        Assert.Contains("1 dataset", detail);
        Assert.Contains("1 run", detail);
        Assert.Contains("1 task model", detail);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM teams WHERE name = $1", Alpha));
    }

    [Fact]
    public async Task An_empty_team_is_deleted_but_the_default_team_and_the_platform_team_stay()
    {
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync("/api/v1/teams", new { name = "short-lived" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/teams/short-lived")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/teams/short-lived")).StatusCode);

        var defaultTeam = await _admin.DeleteAsync($"/api/v1/teams/{Team.DefaultName}");
        Assert.Equal(HttpStatusCode.Conflict, defaultTeam.StatusCode);
        Assert.Contains("receives the keys made without a team", (await ApiTestHost.ReadAsync<Problem>(defaultTeam)).Detail);
    }

    [Fact]
    public async Task Moving_a_key_to_a_team_that_does_not_exist_is_refused_and_to_one_that_does_moves_it()
    {
        var key = await TestKeys.CreateAsync(host.Services, ApiKeyRole.Viewer, "mover");
        ApiKeyFormat.TryGetPrefix(key, out var prefix);

        var nowhere = await _admin.PutAsync($"/api/v1/teams/no-such-team/members/{prefix}", null);
        Assert.Equal(HttpStatusCode.NotFound, nowhere.StatusCode);
        Assert.Contains("no team named 'no-such-team'", (await ApiTestHost.ReadAsync<Problem>(nowhere)).Detail);

        var moved = await _admin.PutAsync($"/api/v1/teams/{Gamma}/members/{prefix}", null);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(Gamma, (await ApiTestHost.ReadAsync<ApiKeyDto>(moved)).Team);
        // The key acts in its new team at once: gamma owns nothing, so it lists nothing of alpha's.
        using var client = TestKeys.WithKey(host.CreateAnonymousClient(), key);
        var datasets = await client.GetFromJsonAsync<JsonElement>("/api/v1/datasets");
        Assert.Equal(0, datasets.GetArrayLength());
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'api_key.move' AND entity_id = $1", prefix));
    }

    [Fact]
    public async Task A_key_made_for_a_team_that_does_not_exist_is_refused_naming_the_field()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "x", role = "viewer", team = "nobody" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("no team named 'nobody'", problem.RootElement.GetProperty("errors").GetProperty("team")[0].GetString());
    }

    [Fact]
    public async Task Sharing_with_ones_own_team_or_with_a_team_that_does_not_exist_is_refused()
    {
        var alpha = await host.ClientAsync(Alpha, ApiKeyRole.Editor);

        var self = await alpha.PostAsJsonAsync($"/api/v1/datasets/{DatasetName(Alpha)}/shares", new { team = Alpha });
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Contains("belongs to team 'alpha' already", (await ApiTestHost.ReadAsync<Problem>(self)).Detail);

        var nobody = await alpha.PostAsJsonAsync($"/api/v1/task-models/{TaskName(Alpha)}/shares", new { team = "nobody" });
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
        Assert.Equal("Team not found", (await ApiTestHost.ReadAsync<Problem>(nobody)).Title);
    }

    [Fact]
    public async Task A_team_key_sees_its_own_team_and_the_platform_team_and_admins_see_every_team()
    {
        var alpha = await host.ClientAsync(Alpha, ApiKeyRole.Viewer);

        var seen = (await alpha.GetFromJsonAsync<List<TeamDto>>("/api/v1/teams", ApiTestHost.Json))!.Select(t => t.Name).ToList();
        Assert.Equal([Alpha, Team.DefaultName], seen);
        Assert.Equal(HttpStatusCode.NotFound, (await alpha.GetAsync($"/api/v1/teams/{Beta}")).StatusCode);
        var all = (await _admin.GetFromJsonAsync<List<TeamDto>>("/api/v1/teams", ApiTestHost.Json))!.Select(t => t.Name).ToList();
        Assert.Superset(new HashSet<string> { Alpha, Beta, Gamma, Team.DefaultName }, all.ToHashSet());
    }
}
