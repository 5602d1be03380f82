using SlmOps.Contracts;

namespace SlmOps.IntegrationTests;

/// <summary>Issue 14: a pretrain spec with distributed.worldSize 2 runs as two ranks on one CPU worker process.</summary>
public sealed class DataParallelRunTests(PipelineHost host) : IClassFixture<PipelineHost>
{
    [Fact]
    public async Task A_two_rank_pretrain_on_one_worker_succeeds_registers_once_and_records_every_step_once()
    {
        using var client = host.CreateClient();
        var datasetVersion = await host.SeedDatasetAsync("ddp-corpus", PipelineTests.Corpus());
        var prepare = await host.SubmitAsync(client, "prepare", new { datasetVersionId = datasetVersion, tokenizerKind = "char-pair" }, "ddp-prepare");
        await host.WaitForAsync(client, prepare.Id, RunStatus.Succeeded);

        var pretrain = await host.SubmitAsync(client, "pretrain", new
        {
            datasetVersionId = datasetVersion, baseModelName = "ddp-llm", preset = "tiny-gpt", training = PipelineTests.TinyTraining,
            distributed = new { worldSize = 2 },
        }, "ddp-pretrain");
        var done = await host.WaitForAsync(client, pretrain.Id, RunStatus.Succeeded, RunStatus.Failed);

        Assert.True(done.Status == RunStatus.Succeeded, $"the 2-rank pretrain failed: {done.Error}");
        Assert.Equal(1L, await host.ScalarAsync<long>(
            "SELECT count(*) FROM run_events WHERE run_id = $1 AND message = 'Training data-parallel: 2 ranks on this worker''s CPU, Gloo over 127.0.0.1'", pretrain.Id));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM base_model_versions WHERE run_id = $1", pretrain.Id));
        Assert.Equal(20L, await host.ScalarAsync<long>("SELECT count(DISTINCT step) FROM run_metrics WHERE run_id = $1 AND key = 'loss'", pretrain.Id));
        Assert.Equal(20L, await host.ScalarAsync<long>("SELECT count(*) FROM run_metrics WHERE run_id = $1 AND key = 'loss'", pretrain.Id));
    }
}
