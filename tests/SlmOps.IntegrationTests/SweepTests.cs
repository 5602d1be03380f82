using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Sweeps;

namespace SlmOps.IntegrationTests;

/// <summary>
/// Issue 16 on the real stack: a sweep of four tiny fine-tunes with parallelism 2 on one single-slot worker, so the
/// trials reach their rung one after the other in trial order. ASHA (one rung at step 10, factor 4) can only stop the
/// fourth arrival, whose learning rate (1e-9) leaves it untrained: it is stopped at step 10 in the very heartbeat that
/// carried its step-10 evaluation. The web host restarts in the middle (after the first trial ended); nothing is lost or
/// submitted twice, and the leaderboard is what the trials' own metric points say.
/// </summary>
public sealed class SweepTests(PipelineHost host) : IClassFixture<PipelineHost>
{
    private static readonly double[] LearningRates = [0.001, 0.003, 0.01, 1e-9];

    [Fact]
    public async Task A_sweep_runs_its_budget_two_at_a_time_stops_the_weak_trial_early_and_survives_a_web_restart()
    {
        var client = host.CreateClient();
        var (dataset, baseVersion) = await host.TinyBaseModelAsync(client, "sw");
        var spec = new
        {
            trialKind = "finetune",
            spec = new
            {
                baseModelVersionId = baseVersion, datasetVersionId = dataset, taskModelName = "sw-task", method = "slm", coupling = "tokens",
                slmPreset = "tiny-fft", training = new { steps = 40, batchSize = 4, blockSize = 32, evalEvery = 10, checkpointEvery = 10, seed = 7 },
            },
            space = new Dictionary<string, object> { ["training.learningRate"] = new { values = LearningRates } },
            parallelism = 2, metric = "eval/val_loss", direction = "minimize",
            earlyStopping = new { rungs = new[] { 10 }, reductionFactor = 4 },
        };
        var submitted = await client.PostAsJsonAsync("/api/v1/sweeps", new { name = "sw", priority = 5, spec }, PipelineHost.Json);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        var sweepId = (await submitted.Content.ReadFromJsonAsync<SweepDto>(PipelineHost.Json))!.Id;

        // Mid-sweep: the first trial ended and its successor was queued.
        await WaitAsync(client, sweepId, s => s.Submitted >= 3);
        await host.RestartWebAsync();
        client = host.CreateClient();
        var sweep = await WaitAsync(client, sweepId, s => s.Status.IsTerminal());

        Assert.Equal(RunStatus.Succeeded, sweep.Status);
        Assert.Equal((4, 4, 0), (sweep.Budget, sweep.Submitted, sweep.InFlight));
        Assert.Equal([0, 1, 2, 3], sweep.Trials.Select(t => t.Index).Order());
        Assert.Equal(4L, await host.ScalarAsync<long>("SELECT count(*) FROM runs WHERE parent_run_id = $1", sweepId)); // none twice
        Assert.Equal(LearningRates, sweep.Trials.OrderBy(t => t.Index).Select(t => t.Params["training.learningRate"].GetDouble()));

        var weak = sweep.Trials.Single(t => t.Index == 3);
        Assert.Equal((RunStatus.Cancelled, 10L), (weak.Status, weak.StoppedAtStep));
        Assert.Equal("stopped early at step 10", await host.ScalarAsync<string>("SELECT cancel_reason FROM runs WHERE id = $1", weak.RunId!.Value));
        Assert.True(await host.ScalarAsync<long>("SELECT max(step) FROM run_metrics WHERE run_id = $1 AND key = 'loss'", weak.RunId!.Value) < 40);
        Assert.All(sweep.Trials.Where(t => t.Index != 3), t => Assert.Equal(RunStatus.Succeeded, t.Status));

        // Never more than two trials queued or running at once: from each run's submission to its end.
        var spans = new List<(DateTime From, DateTime To)>();
        foreach (var trial in sweep.Trials)
        {
            var from = await host.ScalarAsync<DateTime>("SELECT created_at FROM runs WHERE id = $1", trial.RunId!.Value);
            var to = await host.ScalarAsync<DateTime>("SELECT finished_at FROM runs WHERE id = $1", trial.RunId!.Value);
            spans.Add((from, to));
        }
        Assert.All(spans, span => Assert.True(spans.Count(o => o.From <= span.From && span.From < o.To) <= 2, "more than two trials in flight"));

        // The leaderboard is the runs' own eval/val_loss: best value and step of each, ranked, and the best trial's SLM version.
        foreach (var trial in sweep.Trials)
        {
            var series = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{trial.RunId}/metrics?key=eval/val_loss&maxPoints=10000", PipelineHost.Json);
            var points = series[0].GetProperty("points").EnumerateArray().Select(p => (Step: p.GetProperty("step").GetInt64(), Value: p.GetProperty("value").GetDouble())).ToList();
            var best = points.OrderBy(p => p.Value).ThenBy(p => p.Step).First();
            Assert.Equal((best.Step, best.Value), (trial.BestStep!.Value, trial.BestValue!.Value));
        }
        Assert.Equal(sweep.Trials.Select(t => t.BestValue).Order(), sweep.Trials.Select(t => t.BestValue));
        var leader = sweep.Best!;
        Assert.Equal(sweep.Trials.Where(t => t.Status == RunStatus.Succeeded).Min(t => t.BestValue), leader.BestValue);
        Assert.Equal(await host.ScalarAsync<long>("SELECT id FROM slm_versions WHERE run_id = $1", leader.RunId!.Value), leader.SlmVersionId);
        Assert.Equal(leader.RunId.ToString(), await host.ScalarAsync<string>("SELECT outputs->>'best_run' FROM runs WHERE id = $1", sweepId));
    }

    [Fact]
    public async Task The_all_methods_preset_trains_every_method_as_a_run_and_ranks_them_by_the_task_loss_each_registered()
    {
        var client = host.CreateClient();
        var (dataset, baseVersion) = await host.TinyBaseModelAsync(client, "am");
        var spec = new
        {
            preset = "all-methods", parallelism = 2,
            spec = new
            {
                baseModelVersionId = baseVersion, datasetVersionId = dataset, taskModelName = "am-task", slmPreset = "tiny-fft",
                // Shorter than the window of 32, so prefix tuning's 4 prefix positions fit beside the text.
                training = new { steps = 20, batchSize = 4, blockSize = 24, evalEvery = 10, checkpointEvery = 10, seed = 7 },
            },
        };
        var submitted = await client.PostAsJsonAsync("/api/v1/sweeps", new { name = "am", priority = 5, spec }, PipelineHost.Json);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());

        var sweep = await WaitAsync(client, (await submitted.Content.ReadFromJsonAsync<SweepDto>(PipelineHost.Json))!.Id, s => s.Status.IsTerminal());

        Assert.True(sweep.Status == RunStatus.Succeeded, JsonSerializer.Serialize(sweep, PipelineHost.Json));
        Assert.Equal(TrainingMethods.Names, sweep.Trials.OrderBy(t => t.Index).Select(t => t.Params["method"].GetString()));
        Assert.Contains("plugin-peft", TrainingMethods.Names); // the preset follows the methods as they are added
        foreach (var trial in sweep.Trials)
        {
            // Each method is a run of its own in the history, with the method in its config and an SLM version registered.
            Assert.True(trial.Status == RunStatus.Succeeded,
                $"{trial.Params["method"]}: {trial.Status} {await host.ScalarAsync<string>("SELECT error FROM runs WHERE id = $1", trial.RunId!.Value)}");
            Assert.Equal(trial.Params["method"].GetString(), await host.ScalarAsync<string>("SELECT config->>'method' FROM runs WHERE id = $1", trial.RunId!.Value));
            // What `experiment compare` reports per method, the task validation loss at the end of training, is what the
            // version registered; the leaderboard's last point of the trial is that same evaluation.
            Assert.True(trial.SlmVersionId is not null, $"{trial.Params["method"]}: no SLM version registered");
            var registered = await host.ScalarAsync<double>("SELECT (evaluation_metrics->>'val_loss')::float8 FROM slm_versions WHERE id = $1", trial.SlmVersionId!.Value);
            Assert.True(trial.LastStep is not null, $"{trial.Params["method"]}: no eval/val_loss point reported");
            var last = await host.ScalarAsync<double>("SELECT value FROM run_metrics WHERE run_id = $1 AND key = 'eval/val_loss' AND step = $2", trial.RunId!.Value, trial.LastStep!.Value);
            Assert.Equal(registered, last, 6);
        }
        Assert.Equal(sweep.Trials.Min(t => t.BestValue), sweep.Best!.BestValue);
    }

    [Fact]
    public async Task Cancelling_a_sweep_cancels_its_running_and_queued_trials()
    {
        var client = host.CreateClient();
        var (dataset, baseVersion) = await host.TinyBaseModelAsync(client, "cx");
        var spec = new
        {
            parallelism = 2,
            spec = new
            {
                baseModelVersionId = baseVersion, datasetVersionId = dataset, taskModelName = "cx-task", slmPreset = "tiny-fft",
                training = new { steps = 200000, batchSize = 4, blockSize = 32, evalEvery = 10, seed = 7 },
            },
            space = new Dictionary<string, object> { ["training.learningRate"] = new { values = new[] { 0.001, 0.003, 0.01 } } },
        };
        var submitted = await client.PostAsJsonAsync("/api/v1/sweeps", new { name = "cx", priority = 5, spec }, PipelineHost.Json);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        var sweepId = (await submitted.Content.ReadFromJsonAsync<SweepDto>(PipelineHost.Json))!.Id;
        await WaitAsync(client, sweepId, s => s.Trials.Any(t => t.Status == RunStatus.Running) && s.Submitted == 2);

        var cancel = await client.PostAsync($"/api/v1/runs/{sweepId}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
        var sweep = await WaitAsync(client, sweepId, s => s.Status.IsTerminal() && s.Trials.All(t => t.Status!.Value.IsTerminal()));

        Assert.Equal(RunStatus.Cancelled, sweep.Status);
        Assert.Equal(2, sweep.Submitted); // the third trial was never submitted
        Assert.All(sweep.Trials, t => Assert.Equal(RunStatus.Cancelled, t.Status));
        Assert.Equal(2L, await host.ScalarAsync<long>("SELECT count(*) FROM runs WHERE parent_run_id = $1 AND cancel_reason = 'the sweep was cancelled'", sweepId));
        Assert.True(await host.ScalarAsync<long>("SELECT coalesce(max(step), 0) FROM run_metrics WHERE run_id = ANY($1) AND key = 'loss'",
            sweep.Trials.Select(t => t.RunId!.Value).ToArray()) < 200000);
    }

    /// <summary>Polls the sweep until <paramref name="done"/>; the deadline only bounds a hung sweep, nothing is timed.</summary>
    private async Task<SweepDto> WaitAsync(HttpClient client, Guid id, Func<SweepDto, bool> done)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        SweepDto? sweep = null;
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                sweep = await client.GetFromJsonAsync<SweepDto>($"/api/v1/sweeps/{id}", PipelineHost.Json);
                if (done(sweep!)) return sweep!;
            }
            catch (HttpRequestException)
            {
                // the web host is restarting
            }
            await Task.Delay(500, CancellationToken.None);
        }
        Assert.Fail($"Sweep {id} did not get there: {JsonSerializer.Serialize(sweep, PipelineHost.Json)}\n{host.WorkerOutput}");
        return sweep!;
    }
}
