using SlmOps.Contracts;

namespace SlmOps.IntegrationTests;

/// <summary>A host whose worker runs two ranks of a data-parallel run itself (Worker:Ranks = 2).</summary>
public sealed class TwoRankWorkerHost : PipelineHost
{
    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings => [new("Worker:Ranks", "2")];
}

/// <summary>Issue 14: pretrain and fine-tune specs with distributed.worldSize 2 run as two ranks on one CPU worker process.</summary>
public sealed class DataParallelRunTests(TwoRankWorkerHost host) : IClassFixture<TwoRankWorkerHost>
{
    [Fact]
    public async Task Two_rank_pretrain_and_fine_tune_on_one_worker_succeed_register_once_and_record_every_step_once()
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

        var baseVersion = await host.ScalarAsync<long>("SELECT id FROM base_model_versions WHERE run_id = $1", pretrain.Id);
        var finetune = await host.SubmitAsync(client, "finetune", new
        {
            baseModelVersionId = baseVersion, datasetVersionId = datasetVersion, taskModelName = "ddp-task",
            method = "slm", coupling = "logits", slmPreset = "tiny-gpt", training = PipelineTests.TinyTraining,
            distributed = new { worldSize = 2 },
        }, "ddp-finetune");
        var tuned = await host.WaitForAsync(client, finetune.Id, RunStatus.Succeeded, RunStatus.Failed);

        Assert.True(tuned.Status == RunStatus.Succeeded, $"the 2-rank fine-tune failed: {tuned.Error}");
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM slm_versions WHERE run_id = $1", finetune.Id));
        Assert.Equal(20L, await host.ScalarAsync<long>("SELECT count(*) FROM run_metrics WHERE run_id = $1 AND key = 'loss'", finetune.Id));
        Assert.Equal(20L, await host.ScalarAsync<long>("SELECT count(DISTINCT step) FROM run_metrics WHERE run_id = $1 AND key = 'loss'", finetune.Id));
    }
}
