using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Contracts;
using SlmOps.Contracts.Commands;
using SlmOps.Contracts.Runs;

namespace SlmOps.IntegrationTests;

/// <summary>Issue 5 item 7: at-least-once delivery executes a run once; a running job can be cancelled.</summary>
public sealed class RunDeliveryTests(PipelineHost host) : IClassFixture<PipelineHost>
{
    [Fact]
    public async Task A_command_delivered_twice_executes_the_run_once()
    {
        using var client = host.CreateClient();
        var datasetVersion = await PreparedDatasetAsync(client, "it-twice");
        var run = await host.SubmitAsync(client, "pretrain",
            new { datasetVersionId = datasetVersion, baseModelName = "it-twice", preset = "tiny-fft", training = PipelineTests.TinyTraining }, "it-twice");

        // The dispatcher already sent TrainBaseModel(run, 1); a redelivery is the same message again.
        var bus = host.Services.GetRequiredService<IBus>();
        var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{RunQueues.QueueName(host.QueuePrefix, "cpu")}"));
        await endpoint.Send(new TrainBaseModel(run.Id, 1));

        var finished = await host.WaitForAsync(client, run.Id, RunStatus.Succeeded);
        await WaitForWorkerLogAsync($"Run {run.Id} attempt 1 not claimable");

        Assert.Equal(1, finished.Attempt);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM run_events WHERE run_id = $1 AND message LIKE 'Started attempt%'", run.Id));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM base_model_versions WHERE run_id = $1", run.Id));
        Assert.Equal(0L, await host.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT 1 FROM run_metrics WHERE run_id = $1 GROUP BY key, step HAVING count(*) > 1) d", run.Id));
    }

    /// <summary>Issue 11: a command naming a run the web host does not know is logged and dropped, not retried.</summary>
    [Fact]
    public async Task A_command_for_an_unknown_run_is_logged_and_dropped()
    {
        var unknown = Guid.NewGuid();
        var bus = host.Services.GetRequiredService<IBus>();
        var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{RunQueues.QueueName(host.QueuePrefix, "cpu")}"));

        await endpoint.Send(new TrainBaseModel(unknown, 1));
        await WaitForWorkerLogAsync($"Dropping the command for run {unknown} attempt 1");

        // Dropped means consumed once: no redelivery writes the line again, and nothing was recorded for it.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, host.WorkerOutput.Split($"Dropping the command for run {unknown}").Length - 1);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM runs WHERE id = $1", unknown));
    }

    [Fact]
    public async Task Cancelling_a_running_job_stops_it_at_a_step_boundary()
    {
        using var client = host.CreateClient();
        var datasetVersion = await PreparedDatasetAsync(client, "it-cancel");
        const int steps = 100_000;
        var run = await host.SubmitAsync(client, "pretrain", new
        {
            datasetVersionId = datasetVersion, baseModelName = "it-cancel", preset = "tiny-fft",
            training = new { steps, batchSize = 4, blockSize = 32, evalEvery = 0, checkpointEvery = 0 },
        }, "it-cancel");

        await host.WaitForAsync(client, run.Id, RunStatus.Running);
        await PollAsync(async () => await host.ScalarAsync<long>("SELECT count(*) FROM run_metrics WHERE run_id = $1", run.Id) > 0, "a first metric");
        var cancel = await client.PostAsync($"/api/v1/runs/{run.Id}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());

        var cancelled = await host.WaitForAsync(client, run.Id, RunStatus.Cancelled);
        Assert.NotNull(cancelled.CancelRequestedAt);
        Assert.True(cancelled.Progress < 1.0, $"progress {cancelled.Progress}");
        Assert.True(await host.ScalarAsync<long>("SELECT max(step) FROM run_metrics WHERE run_id = $1", run.Id) < steps);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM run_events WHERE run_id = $1 AND message = 'Cancelled at a step boundary'", run.Id));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM base_model_versions WHERE run_id = $1", run.Id));
    }

    private async Task<long> PreparedDatasetAsync(HttpClient client, string name)
    {
        var datasetVersion = await host.SeedDatasetAsync(name, PipelineTests.Corpus());
        var prepare = await host.SubmitAsync(client, "prepare", new { datasetVersionId = datasetVersion }, name + "-prepare");
        await host.WaitForAsync(client, prepare.Id, RunStatus.Succeeded);
        return datasetVersion;
    }

    private Task WaitForWorkerLogAsync(string text) => PollAsync(() => Task.FromResult(host.WorkerOutput.Contains(text, StringComparison.Ordinal)), $"worker log '{text}'");

    private async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(PipelineHost.Deadline);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested) Assert.Fail($"No {what} within {PipelineHost.Deadline}.\n{host.WorkerOutput}");
            await Task.Delay(250, CancellationToken.None);
        }
    }
}
