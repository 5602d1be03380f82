using SlmOps.Contracts;

namespace SlmOps.IntegrationTests;

/// <summary>Issue 5: the cancel endpoint publishes CancelRun and the worker executing the run signals it at once.</summary>
public sealed class CancelBroadcastTests(PipelineHost host) : IClassFixture<PipelineHost>
{
    [Fact]
    public async Task Cancelling_a_running_job_reaches_its_worker_as_a_CancelRun_message()
    {
        using var client = host.CreateClient();
        var dataset = await host.SeedDatasetAsync("cb-corpus", PipelineTests.Corpus());
        var prepare = await host.SubmitAsync(client, "prepare", new { datasetVersionId = dataset }, "cb-prepare");
        await host.WaitForAsync(client, prepare.Id, RunStatus.Succeeded);
        var run = await host.SubmitAsync(client, "pretrain", new
        {
            datasetVersionId = dataset, baseModelName = "cb-llm", preset = "tiny-fft",
            training = new { steps = 100_000, batchSize = 4, blockSize = 32, evalEvery = 0, checkpointEvery = 0 },
        }, "cb-pretrain");
        await host.WaitForAsync(client, run.Id, RunStatus.Running);

        var cancel = await client.PostAsync($"/api/v1/runs/{run.Id}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());

        await host.WaitForAsync(client, run.Id, RunStatus.Cancelled);
        Assert.Contains($"Run {run.Id} cancellation signalled by a CancelRun message from it-admin", host.WorkerOutput);
    }
}
