using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SlmOps.Contracts;
using SlmOps.Contracts.Sweeps;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;
using SlmOps.Web.Tests.Apis;
using SlmOps.Web.Tests.Teams;
using static SlmOps.Web.Tests.Teams.TeamsTestHost;

namespace SlmOps.Web.Tests.Sweeps;

/// <summary>
/// POST /api/v1/sweeps on PostgreSQL: every bad input of issue 16 is a 400 naming its field, the team rules apply to
/// every trial as to a run, and an accepted sweep is a Sweep run whose scheduler (a Hangfire job) queues its first trials.
/// </summary>
public sealed class SweepsApiTests(TeamsTestHost host) : IClassFixture<TeamsTestHost>
{
    private async Task<long> PreparedAlphaVersionAsync()
    {
        var version = await host.ScalarAsync<long>("SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = $1", DatasetName(Alpha));
        await host.ExecuteAsync("UPDATE dataset_versions SET prepared_artifact_sha256 = $1, tokenizer_sha256 = $1 WHERE id = $2", TeamsTestHost.Tokenizer, version);
        return version;
    }

    private JsonObject Sweep(long datasetVersion, string task = "alpha-sweep-task") => JsonNode.Parse($$$"""
        {
          "trialKind": "finetune",
          "spec": {"baseModelVersionId": {{{host.BaseModelVersionId}}}, "datasetVersionId": {{{datasetVersion}}}, "taskModelName": "{{{task}}}",
                   "slmPreset": "tiny-fft", "training": {"steps": 40, "evalEvery": 10}},
          "space": {"training.learningRate": {"distribution": "log-uniform", "min": 0.0001, "max": 0.01}},
          "budget": 4, "parallelism": 2, "metric": "eval/val_loss", "direction": "minimize",
          "earlyStopping": {"rungs": [10, 20], "reductionFactor": 2}, "seed": 5
        }
        """)!.AsObject();

    private static object Request(JsonNode spec, string name = "lr-sweep") => new { name, priority = 0, spec };

    public static TheoryData<string, string, string> BadInputs => new()
    {
        // mutation (a JSON merge patch onto the valid sweep), field named, words the fix contains
        { """{"space": {"training.learningRate": null}}""", "space", "at least one spec field" },
        { """{"space": {"training.momentum": {"values": [0.9]}}}""", "space.training.momentum", "no field 'training.momentum'" },
        { """{"space": {"training.learningRate": {"min": 0.1, "max": 0.01}}}""", "space.training.learningRate", "greater than max" },
        { """{"space": {"training.learningRate": {"min": 0}}}""", "space.training.learningRate", "min above 0" },
        { """{"space": {"training.batchSize": {"distribution": "integer", "min": 2.5, "max": 8}}}""", "space.training.batchSize", "whole-number" },
        { """{"space": {"training.steps": {"values": [40, 0]}}}""", "space.training.steps", "training.steps=0" },
        { """{"parallelism": 0}""", "parallelism", "at least 1" },
        { """{"budget": 0}""", "budget", "at least 1" },
        { """{"budget": 101}""", "budget", "Sweeps:MaxBudget" },
        { """{"metric": "accuracy"}""", "metric", "eval/val_loss, loss" },
        { """{"direction": "down"}""", "direction", "minimize or maximize" },
        { """{"earlyStopping": {"rungs": [20, 10]}}""", "earlyStopping.rungs", "increasing" },
        { """{"earlyStopping": {"reductionFactor": 1}}""", "earlyStopping.reductionFactor", "at least 2" },
        { """{"trialKind": "evaluate"}""", "trialKind", "finetune, pretrain" },
        { """{"spec": {"training": {"evalEvery": 0}}}""", "spec.training.evalEvery", "evalEvery" },
        { """{"spec": {"slmPreset": "huge"}}""", "spec.slmPreset", "Unknown preset" },
        { """{"budgets": 3}""", "budgets", "Unknown field" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_a_400_naming_the_field(string patch, string field, string fix)
    {
        var version = await PreparedAlphaVersionAsync();
        var alpha = await host.ClientAsync(Alpha, ApiKeyRole.Editor);
        var spec = JsonMergePatch.Apply(Sweep(version), JsonNode.Parse(patch))!;

        var response = await alpha.PostAsJsonAsync("/api/v1/sweeps", Request(spec));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsAsync(response);
        Assert.True(errors.ContainsKey(field), $"{field} not in {string.Join(", ", errors.Keys)}");
        Assert.Contains(fix, errors[field]);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM runs WHERE kind = 'Sweep' AND name = 'lr-sweep'"));
    }

    [Fact]
    public async Task A_random_search_without_a_budget_or_a_grid_over_it_is_refused_on_budget()
    {
        var version = await PreparedAlphaVersionAsync();
        var alpha = await host.ClientAsync(Alpha, ApiKeyRole.Editor);
        var random = Sweep(version);
        random.Remove("budget");
        var grid = JsonMergePatch.Apply(Sweep(version), JsonNode.Parse("""{"budget": 3, "space": {"training.learningRate": {"distribution": null, "min": null, "max": null, "values": [0.001, 0.01]}}}"""))!;

        var noBudget = await ErrorsAsync(await alpha.PostAsJsonAsync("/api/v1/sweeps", Request(random)));
        var overGrid = await ErrorsAsync(await alpha.PostAsJsonAsync("/api/v1/sweeps", Request(grid)));

        Assert.Contains("needs a budget", noBudget["budget"]);
        Assert.Contains("only 2 combination(s)", overGrid["budget"]);
    }

    [Fact]
    public async Task Another_teams_unshared_dataset_reads_as_missing_and_a_shared_task_model_is_not_writable()
    {
        var betaVersion = await host.ScalarAsync<long>("SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = $1", DatasetName(Beta));
        var alpha = await host.ClientAsync(Alpha, ApiKeyRole.Editor);
        var gamma = await host.ClientAsync(Gamma, ApiKeyRole.Editor);

        var hidden = await gamma.PostAsJsonAsync("/api/v1/sweeps", Request(Sweep(betaVersion)));
        Assert.Equal(HttpStatusCode.BadRequest, hidden.StatusCode);
        Assert.Equal($"Dataset version {betaVersion} does not exist.", (await ErrorsAsync(hidden))["spec.datasetVersionId"]);

        // Beta shares its task model with alpha: reading it is allowed, registering trials into it is not.
        var beta = await host.ClientAsync(Beta, ApiKeyRole.Editor);
        await beta.PostAsJsonAsync($"/api/v1/task-models/{TaskName(Beta)}/shares", new { team = Alpha });
        var refused = await alpha.PostAsJsonAsync("/api/v1/sweeps", Request(Sweep(await PreparedAlphaVersionAsync(), TaskName(Beta))));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal(Beta, problem.RootElement.GetProperty("ownerTeam").GetString());
    }

    [Fact]
    public async Task An_accepted_sweep_is_a_sweep_run_whose_scheduler_queues_parallelism_trials_as_child_runs()
    {
        var version = await PreparedAlphaVersionAsync();
        var alpha = await host.ClientAsync(Alpha, ApiKeyRole.Editor);

        var response = await alpha.PostAsJsonAsync("/api/v1/sweeps", Request(Sweep(version), "accepted-sweep"));

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var sweep = await ApiTestHost.ReadAsync<SweepDto>(response);
        Assert.Equal((RunStatus.Running, 4, 2, Alpha), (sweep.Status, sweep.Budget, sweep.Parallelism, sweep.Team));
        Assert.Equal($"/api/v1/sweeps/{sweep.Id}", response.Headers.Location?.OriginalString);
        // Its first Hangfire pass submits two trials; no worker takes them here, so it stops there.
        var seen = await PollAsync(alpha, sweep.Id, s => s.Submitted == 2);
        Assert.Equal(2, seen.InFlight);
        Assert.Equal([0, 1], seen.Trials.Select(t => t.Index).Order());
        Assert.All(seen.Trials, t => Assert.Equal(RunStatus.Queued, t.Status));
        var listed = await ApiTestHost.ReadAsync<JsonElement>(await alpha.GetAsync($"/api/v1/runs?sweep={sweep.Id}"));
        Assert.Equal(2, listed.GetProperty("total").GetInt32());
        foreach (var run in listed.GetProperty("items").EnumerateArray())
        {
            Assert.Equal("TrainTaskModel", run.GetProperty("kind").GetString());
            Assert.Equal(sweep.Id, run.GetProperty("parentRunId").GetGuid());
            var trial = seen.Trials.Single(t => t.RunId == run.GetProperty("id").GetGuid());
            Assert.Equal(trial.Params["training.learningRate"].GetDouble(), run.GetProperty("config").GetProperty("training").GetProperty("learningRate").GetDouble());
        }

        // Cancelling the sweep cancels its queued trials at once and ends it.
        Assert.Equal(HttpStatusCode.OK, (await alpha.PostAsync($"/api/v1/runs/{sweep.Id}/cancel", null)).StatusCode);
        var cancelled = await PollAsync(alpha, sweep.Id, s => s.Status == RunStatus.Cancelled);
        Assert.All(cancelled.Trials, t => Assert.Equal(RunStatus.Cancelled, t.Status));
        Assert.Equal(2, cancelled.Submitted);
        Assert.Equal(2L, await host.ScalarAsync<long>("SELECT count(*) FROM runs WHERE parent_run_id = $1 AND cancel_reason = 'the sweep was cancelled'", sweep.Id));
    }

    [Fact]
    public async Task An_unknown_sweep_or_another_teams_is_not_found()
    {
        var beta = await host.ClientAsync(Beta, ApiKeyRole.Viewer);

        var response = await beta.GetAsync($"/api/v1/sweeps/{host.Run(Alpha)}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<SweepDto> PollAsync(HttpClient client, Guid id, Func<SweepDto, bool> done)
    {
        // A deadline for a hung scheduler, not a timing assertion: the state is asserted, however long it took.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var sweep = await ApiTestHost.ReadAsync<SweepDto>(await client.GetAsync($"/api/v1/sweeps/{id}"));
            if (done(sweep)) return sweep;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Sweep {id} never reached the expected state; last: {JsonSerializer.Serialize(sweep)}");
            await Task.Delay(200);
        }
    }

    private static async Task<Dictionary<string, string>> ErrorsAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => string.Join(" ", p.Value.EnumerateArray().Select(m => m.GetString())));
    }
}
