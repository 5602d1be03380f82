using SlmOps.Contracts;

namespace SlmOps.IntegrationTests;

/// <summary>
/// A host whose sweeper runs every second and calls a worker lost after a few seconds without a heartbeat
/// (workers beat every 2 s), and no worker of its own: the test starts and kills them.
/// </summary>
public sealed class FastSweeperHost : PipelineHost
{
    protected override bool StartsWorkerWithHost => false;

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
    [
        new("Sweeper:Interval", "00:00:01"),
        new("Sweeper:HeartbeatTimeout", "00:00:08"),
        // Hangfire looks for due recurring jobs this often (5 s by default), so the 1 s sweep really runs every second.
        new("Hangfire:SchedulePollingInterval", "00:00:00.2"),
    ];
}

/// <summary>
/// Issue 5 item 8, issue 11: a worker killed (SIGKILL) after its first uploaded checkpoint loses no work that the
/// checkpoint holds and no metric point; a second worker with another folder (no shared disk) resumes and finishes.
/// </summary>
public sealed class WorkerLossTests(FastSweeperHost host) : IClassFixture<FastSweeperHost>, IAsyncLifetime
{
    private const int Steps = 300;
    private const int CheckpointEvery = 20;
    private readonly List<WorkerProcess> _workers = [];

    [Fact]
    public async Task A_run_whose_worker_is_killed_resumes_from_its_checkpoint_on_another_worker_with_every_metric_step_once()
    {
        using var client = host.CreateClient();
        var first = await StartWorkerAsync("it-first");
        var datasetVersion = await host.SeedDatasetAsync("loss-corpus", PipelineTests.Corpus());
        var prepare = await host.SubmitAsync(client, "prepare", new { datasetVersionId = datasetVersion }, "loss-prepare");
        await host.WaitForAsync(client, prepare.Id, RunStatus.Succeeded);

        var run = await host.SubmitAsync(client, "pretrain", new
        {
            datasetVersionId = datasetVersion, baseModelName = "it-loss", preset = "tiny-fft",
            training = new { steps = Steps, batchSize = 4, blockSize = 32, evalEvery = 0, checkpointEvery = CheckpointEvery, seed = 3 },
        }, "loss-pretrain");
        // The first checkpoint the worker uploaded to the artifact service and the web host recorded: the second
        // worker has its own folder and can resume only from there.
        await PollAsync(async () => await host.ScalarAsync<long>("SELECT COALESCE(checkpoint_step, 0) FROM runs WHERE id = $1", run.Id) > 0,
            "uploaded training checkpoint", first);

        await KillAsync(first);
        Assert.Equal("Running", await host.ScalarAsync<string>("SELECT status FROM runs WHERE id = $1", run.Id));
        Assert.Equal("it-first", await host.ScalarAsync<string>("SELECT worker_name FROM runs WHERE id = $1", run.Id));

        var second = await StartWorkerAsync("it-second");
        var done = await host.WaitForAsync(client, run.Id, RunStatus.Succeeded);

        Assert.Equal(2, done.Attempt);
        Assert.Equal("it-second", await host.ScalarAsync<string>("SELECT worker_name FROM runs WHERE id = $1", run.Id));
        Assert.Equal(1L, await host.ScalarAsync<long>(
            "SELECT count(*) FROM run_events WHERE run_id = $1 AND attempt = 1 AND message LIKE 'Sweeper: worker ''it-first'' stopped heart-beating%re-queued for attempt 2%'", run.Id));
        var resumed = await host.ScalarAsync<string>("SELECT message FROM run_events WHERE run_id = $1 AND attempt = 2 AND message LIKE 'Resumed from the checkpoint at step %'", run.Id);
        Assert.NotNull(resumed);
        var resumedAt = long.Parse(resumed["Resumed from the checkpoint at step ".Length..]);
        Assert.True(resumedAt > 0 && resumedAt < Steps && resumedAt % CheckpointEvery == 0, $"resumed at step {resumedAt}\n{second.Output}");
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM base_model_versions WHERE run_id = $1", run.Id));

        foreach (var key in new[] { "loss", "learning_rate", "tokens_per_second" })
        {
            // (run, key, step) is unique by constraint; what can go wrong is a step never stored, or one past the end.
            var (points, firstStep, lastStep) = (
                await host.ScalarAsync<long>("SELECT count(*) FROM run_metrics WHERE run_id = $1 AND key = $2", run.Id, key),
                await host.ScalarAsync<long>("SELECT min(step) FROM run_metrics WHERE run_id = $1 AND key = $2", run.Id, key),
                await host.ScalarAsync<long>("SELECT max(step) FROM run_metrics WHERE run_id = $1 AND key = $2", run.Id, key));
            Assert.Equal((Steps, 1L, (long)Steps), (points, firstStep, lastStep));
        }
        Assert.Equal(0L, await host.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT 1 FROM run_metrics WHERE run_id = $1 GROUP BY key, step HAVING count(*) > 1) d", run.Id));
    }

    private async Task<WorkerProcess> StartWorkerAsync(string name)
    {
        var worker = await host.StartNamedWorkerAsync(name);
        _workers.Add(worker);
        return worker;
    }

    /// <summary>Process.Kill is SIGKILL: no graceful shutdown, no last heartbeat or metric flush.</summary>
    private async Task KillAsync(WorkerProcess worker)
    {
        _workers.Remove(worker);
        await worker.DisposeAsync();
    }

    private static async Task PollAsync(Func<Task<bool>> condition, string what, WorkerProcess worker)
    {
        using var deadline = new CancellationTokenSource(PipelineHost.Deadline);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested) Assert.Fail($"No {what} within {PipelineHost.Deadline}.\n{worker.Output}");
            await Task.Delay(50, CancellationToken.None);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers) await worker.DisposeAsync();
    }
}
