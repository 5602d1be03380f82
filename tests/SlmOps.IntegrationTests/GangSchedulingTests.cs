using System.Net.Http.Json;
using SlmOps.Contracts;
using SlmOps.Web.Runs;
using Xunit.Abstractions;

namespace SlmOps.IntegrationTests;

/// <summary>
/// A host for gang-scheduled runs: no worker of its own (the test starts and kills them, each a CPU worker running one
/// rank), a sweeper every second that calls a worker lost after 8 s without a heartbeat, and a 20 s join timeout.
/// </summary>
public sealed class GangHost : PipelineHost
{
    protected override bool StartsWorkerWithHost => false;

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
    [
        new("Sweeper:Interval", "00:00:01"),
        new("Sweeper:HeartbeatTimeout", "00:00:08"),
        new("Hangfire:SchedulePollingInterval", "00:00:00.2"),
        new("Runs:Gang:JoinTimeout", "00:00:20"),
        new("Worker:Ranks", "1"),
    ];
}

/// <summary>
/// Issue 14, the platform half: a 2-rank pretrain gang-scheduled over RabbitMQ across worker processes. With one worker
/// online the gang cannot form and goes back to the queue saying why (using no attempt); a second worker lets it form;
/// kill -9 of rank 1's worker mid-run breaks the gang, which is re-queued and resumes from its checkpoint on a new gang;
/// every metric step is stored once and one base model version is registered.
/// </summary>
public sealed class GangSchedulingTests(GangHost host, ITestOutputHelper output) : IClassFixture<GangHost>, IAsyncLifetime
{
    private const int Steps = 400;
    private const int CheckpointEvery = 20;
    private readonly Dictionary<string, WorkerProcess> _workers = [];

    [Fact]
    public async Task A_two_rank_pretrain_waits_for_a_second_worker_survives_a_killed_rank_and_records_every_step_once()
    {
        using var client = host.CreateClient();
        await StartWorkerAsync("it-gang-a");
        var datasetVersion = await host.SeedDatasetAsync("gang-corpus", PipelineTests.Corpus());
        var prepare = await host.SubmitAsync(client, "prepare", new { datasetVersionId = datasetVersion }, "gang-prepare");
        await host.WaitForAsync(client, prepare.Id, RunStatus.Succeeded);

        var run = await host.SubmitAsync(client, "pretrain", new
        {
            datasetVersionId = datasetVersion, baseModelName = "it-gang", preset = "tiny-fft",
            training = new { steps = Steps, batchSize = 4, blockSize = 32, evalEvery = 0, checkpointEvery = CheckpointEvery, seed = 5 },
            distributed = new { worldSize = 2 },
        }, "gang-pretrain");

        // One worker: the gang cannot form; it is released (no attempt used) with a line saying why, and keeps trying.
        await PollAsync(async () => await host.ScalarAsync<long>(
            "SELECT count(*) FROM run_events WHERE run_id = $1 AND message LIKE 'The gang of 2 ranks did not form%1 of 2 ranks were claimed (rank 0 on it-gang-a)%'", run.Id) > 0,
            "release of the gang that could not form");
        Assert.NotEqual("Failed", await host.ScalarAsync<string>("SELECT status FROM runs WHERE id = $1", run.Id));
        Assert.True(await host.ScalarAsync<int>("SELECT attempt FROM runs WHERE id = $1", run.Id) <= 1);

        // A second worker: the gang forms and trains to its first uploaded checkpoint.
        await StartWorkerAsync("it-gang-b");
        await PollAsync(async () => await host.ScalarAsync<long>("SELECT COALESCE(checkpoint_step, 0) FROM runs WHERE id = $1", run.Id) > 0,
            "uploaded checkpoint of the formed gang");
        Assert.Equal(1, await host.ScalarAsync<int>("SELECT attempt FROM runs WHERE id = $1", run.Id));
        var ranks = (await client.GetFromJsonAsync<RunDto>($"/api/v1/runs/{run.Id}", PipelineHost.Json))!.Ranks!;
        Assert.Equal(2, ranks.Count);
        Assert.All(ranks, k => Assert.Equal("joined", k.State));
        Assert.Equal(2, ranks.Select(k => k.Worker).Distinct().Count());

        // kill -9 of rank 1's worker: rank 0's next all-reduce fails, the gang is re-queued for attempt 2.
        var rankOneWorker = ranks.Single(k => k.Rank == 1).Worker!;
        await KillAsync(rankOneWorker);
        await StartWorkerAsync("it-gang-c");
        var done = await host.WaitForAsync(client, run.Id, RunStatus.Succeeded, RunStatus.Failed);
        output.WriteLine(await host.ScalarAsync<string>(
            "SELECT string_agg(format('%s [%s] %s', attempt, level, message), E'\n' ORDER BY id) FROM run_events WHERE run_id = $1", run.Id));

        Assert.True(done.Status == RunStatus.Succeeded, $"{done.Error}\n{Outputs()}");
        Assert.Equal(2, done.Attempt);
        Assert.Equal(1L, await host.ScalarAsync<long>(
            "SELECT count(*) FROM run_events WHERE run_id = $1 AND attempt = 1 AND " +
            "(message LIKE 'The gang broke:%Re-queued for attempt 2 of %' OR message LIKE 'Sweeper: worker%re-queued for attempt 2%')", run.Id));
        var resumed = await host.ScalarAsync<string>("SELECT message FROM run_events WHERE run_id = $1 AND attempt = 2 AND message LIKE 'Resumed from the checkpoint at step %'", run.Id);
        Assert.NotNull(resumed);
        var resumedAt = long.Parse(resumed["Resumed from the checkpoint at step ".Length..]);
        Assert.True(resumedAt > 0 && resumedAt < Steps && resumedAt % CheckpointEvery == 0, $"resumed at step {resumedAt}");
        Assert.Equal(1L, await host.ScalarAsync<long>(
            "SELECT count(*) FROM run_events WHERE run_id = $1 AND attempt = 2 AND message LIKE 'Rank 1 on % Resumed from the checkpoint at step " + resumedAt + "'", run.Id));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM base_model_versions WHERE run_id = $1", run.Id));
        var final = (await client.GetFromJsonAsync<RunDto>($"/api/v1/runs/{run.Id}", PipelineHost.Json))!.Ranks!;
        Assert.DoesNotContain(rankOneWorker, final.Select(k => k.Worker));
        Assert.Equal(2, final.Select(k => k.Worker).Distinct().Count());

        var (points, firstStep, lastStep) = (
            await host.ScalarAsync<long>("SELECT count(*) FROM run_metrics WHERE run_id = $1 AND key = 'loss'", run.Id),
            await host.ScalarAsync<long>("SELECT min(step) FROM run_metrics WHERE run_id = $1 AND key = 'loss'", run.Id),
            await host.ScalarAsync<long>("SELECT max(step) FROM run_metrics WHERE run_id = $1 AND key = 'loss'", run.Id));
        Assert.Equal((Steps, 1L, (long)Steps), (points, firstStep, lastStep));
    }

    private async Task StartWorkerAsync(string name) => _workers[name] = await host.StartNamedWorkerAsync(name);

    /// <summary>Process.Kill is SIGKILL: no graceful shutdown, no last heartbeat.</summary>
    private async Task KillAsync(string name)
    {
        var worker = _workers[name];
        _workers.Remove(name);
        await worker.DisposeAsync();
    }

    private string Outputs() => string.Join("\n\n", _workers.Select(w => $"--- {w.Key}\n{w.Value.Output}"));

    private async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(PipelineHost.Deadline);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested) Assert.Fail($"No {what} within {PipelineHost.Deadline}.\n{Outputs()}");
            await Task.Delay(100, CancellationToken.None);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers.Values) await worker.DisposeAsync();
    }
}
