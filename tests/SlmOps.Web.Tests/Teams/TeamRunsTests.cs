using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Data.Entities;
using static SlmOps.Web.Tests.Teams.TeamsTestHost;

namespace SlmOps.Web.Tests.Teams;

/// <summary>
/// What a run may name: a team trains on its own datasets and those shared with it, registers only into its own task
/// models, and only the platform team's editors (and admins) pretrain base models.
/// </summary>
public sealed class TeamRunsTests(TeamsTestHost host) : IClassFixture<TeamsTestHost>
{
    [Fact]
    public async Task A_hidden_dataset_or_task_name_reads_as_missing_and_a_shared_one_as_not_writable()
    {
        var alpha = await host.ClientAsync(Alpha, ApiKeyRole.Editor);
        var betaVersion = await host.ScalarAsync<long>("SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = $1", DatasetName(Beta));

        var hidden = await alpha.PostAsJsonAsync("/api/v1/runs/finetune", FineTune(betaVersion, TaskName(Beta)));
        Assert.Equal(HttpStatusCode.BadRequest, hidden.StatusCode);
        var errors = await ErrorsAsync(hidden);
        Assert.Equal($"Dataset version {betaVersion} does not exist.", errors["datasetVersionId"]);
        Assert.Contains("is taken by another team", errors["taskModelName"]);

        // Shared: beta's dataset may be read (trained on), beta's task model may not be written (registered into).
        var beta = await host.ClientAsync(Beta, ApiKeyRole.Editor);
        await beta.PostAsJsonAsync($"/api/v1/datasets/{DatasetName(Beta)}/shares", new { team = Alpha });
        await beta.PostAsJsonAsync($"/api/v1/task-models/{TaskName(Beta)}/shares", new { team = Alpha });
        var prepare = await alpha.PostAsJsonAsync("/api/v1/runs/prepare",
            new { name = "prepare-betas", priority = 0, spec = new { datasetVersionId = betaVersion, tokenizerKind = "char-pair", validationFraction = 0.1 } });
        Assert.Equal(HttpStatusCode.Forbidden, prepare.StatusCode); // preparing writes the token files onto beta's version
        Assert.Contains("team 'beta'", await prepare.Content.ReadAsStringAsync());

        var shared = await alpha.PostAsJsonAsync("/api/v1/runs/finetune", FineTune(betaVersion, TaskName(Beta)));
        var sharedErrors = shared.StatusCode == HttpStatusCode.BadRequest ? await ErrorsAsync(shared) : [];
        Assert.DoesNotContain("does not exist", sharedErrors.GetValueOrDefault("datasetVersionId") ?? "");
        // The version is not prepared, so the validator still refuses the spec; registering into beta's task is refused too.
        Assert.True(shared.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, $"{(int)shared.StatusCode}");
    }

    [Fact]
    public async Task Only_the_platform_teams_editors_and_admins_pretrain_base_models()
    {
        var alpha = await host.ClientAsync(Alpha, ApiKeyRole.Editor);
        var version = await host.ScalarAsync<long>("SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = $1", DatasetName(Alpha));
        await host.ExecuteAsync("UPDATE dataset_versions SET prepared_artifact_sha256 = $1, tokenizer_sha256 = $1 WHERE id = $2", TeamsTestHost.Tokenizer, version);

        var refused = await alpha.PostAsJsonAsync("/api/v1/runs/pretrain", Pretrain(version));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.Equal(Team.DefaultName, problem.RootElement.GetProperty("ownerTeam").GetString()); // the platform team
            Assert.Equal("editor", problem.RootElement.GetProperty("requiredRole").GetString());
        }

        // Make alpha the platform team: its editor may now pretrain (on its own dataset).
        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().PostAsync($"/api/v1/teams/{Alpha}/platform", null)).StatusCode);
        var admitted = await alpha.PostAsJsonAsync("/api/v1/runs/pretrain", Pretrain(version));
        Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
        Assert.Equal(Alpha, await host.ScalarAsync<string>("SELECT team FROM runs WHERE name = 'alpha-llm'"));
        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().PostAsync($"/api/v1/teams/{Team.DefaultName}/platform", null)).StatusCode);
    }

    [Fact]
    public async Task An_admins_fine_tune_into_a_teams_task_model_is_that_teams_run_so_it_registers_there()
    {
        var version = await host.ScalarAsync<long>("SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = $1", DatasetName(Alpha));
        await host.ExecuteAsync("UPDATE dataset_versions SET prepared_artifact_sha256 = $1, tokenizer_sha256 = $1 WHERE id = $2", TeamsTestHost.Tokenizer, version);
        var spec = new
        {
            name = "admin-ft", priority = 0,
            spec = new { baseModelVersionId = host.BaseModelVersionId, datasetVersionId = version, taskModelName = TaskName(Alpha), slmPreset = "tiny-fft", training = new { steps = 1 } },
        };

        var response = await host.CreateClient().PostAsJsonAsync("/api/v1/runs/finetune", spec);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal(Alpha, await host.ScalarAsync<string>("SELECT team FROM runs WHERE name = 'admin-ft'"));
    }

    private static object FineTune(long datasetVersion, string task) => new
    {
        name = "ft", priority = 0,
        spec = new { baseModelVersionId = 1L, datasetVersionId = datasetVersion, taskModelName = task, slmPreset = "tiny-fft", training = new { steps = 1 } },
    };

    private static object Pretrain(long datasetVersion) => new
    {
        name = "alpha-llm", priority = 0,
        spec = new { datasetVersionId = datasetVersion, baseModelName = "alpha-llm", preset = "tiny-fft", training = new { steps = 1 } },
    };

    private static async Task<Dictionary<string, string>> ErrorsAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => string.Join(" ", p.Value.EnumerateArray().Select(m => m.GetString())));
    }
}
