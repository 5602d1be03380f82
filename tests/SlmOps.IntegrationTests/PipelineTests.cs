using System.Text;
using SlmOps.Contracts;

namespace SlmOps.IntegrationTests;

/// <summary>Issue 5 item 7: prepare → pretrain → fine-tune through the API and a real worker process.</summary>
public sealed class PipelineTests(PipelineHost host) : IClassFixture<PipelineHost>
{
    public static readonly object TinyTraining = new { steps = 20, batchSize = 4, blockSize = 32, evalEvery = 10, checkpointEvery = 10, seed = 7 };

    public static string Corpus()
    {
        var text = new StringBuilder();
        string[] lines = ["the quick brown fox jumps over the lazy dog", "a stitch in time saves nine", "all that glitters is not gold"];
        // Text datasets are split into documents at blank lines; preparation holds some back for validation.
        for (var i = 0; i < 60; i++) text.AppendLine(lines[i % lines.Length] + $" {i % 7}").Append(i % 6 == 5 ? "\n" : "");
        return text.ToString();
    }

    [Fact]
    public async Task A_dataset_is_prepared_then_pretrains_a_base_model_that_an_slm_is_fine_tuned_against_with_lineage()
    {
        using var client = host.CreateClient();
        var datasetVersion = await host.SeedDatasetAsync("it-corpus", Corpus());

        var prepare = await host.SubmitAsync(client, "prepare", new { datasetVersionId = datasetVersion, tokenizerKind = "char-pair" }, "it-prepare");
        await host.WaitForAsync(client, prepare.Id, RunStatus.Succeeded);
        Assert.NotNull(await host.ScalarAsync<string>("SELECT prepared_artifact_sha256 FROM dataset_versions WHERE id = $1", datasetVersion));

        var pretrain = await host.SubmitAsync(client, "pretrain",
            new { datasetVersionId = datasetVersion, baseModelName = "it-llm", preset = "tiny-fft", training = TinyTraining }, "it-pretrain");
        var pretrained = await host.WaitForAsync(client, pretrain.Id, RunStatus.Succeeded);
        Assert.Equal((1, 1.0), (pretrained.Attempt, pretrained.Progress));
        var baseVersion = await host.ScalarAsync<long>("SELECT id FROM base_model_versions WHERE run_id = $1", pretrain.Id);

        var finetune = await host.SubmitAsync(client, "finetune", new
        {
            baseModelVersionId = baseVersion, datasetVersionId = datasetVersion, taskModelName = "it-task",
            method = "slm", coupling = "tokens", slmPreset = "tiny-fft", training = TinyTraining,
        }, "it-finetune");
        await host.WaitForAsync(client, finetune.Id, RunStatus.Succeeded);
        var slmVersion = await host.ScalarAsync<long>(
            "SELECT s.id FROM slm_versions s JOIN task_models t ON t.id = s.task_model_id WHERE t.name = 'it-task' AND s.run_id = $1 AND s.base_model_version_id = $2",
            finetune.Id, baseVersion);
        Assert.True(slmVersion > 0, "the fine-tune registered no SLM version of it-task on the base model version");

        foreach (var run in new[] { pretrain.Id, finetune.Id })
        {
            Assert.True(await host.ScalarAsync<long>("SELECT count(*) FROM run_metrics WHERE run_id = $1 AND key = 'loss'", run) > 0, $"run {run} recorded no loss");
            Assert.Equal(0L, await host.ScalarAsync<long>(
                "SELECT count(*) FROM (SELECT 1 FROM run_metrics WHERE run_id = $1 GROUP BY key, step HAVING count(*) > 1) d", run));
        }

        Assert.True(await EdgeAsync("dataset_version", datasetVersion.ToString(), "run", pretrain.Id.ToString()));
        Assert.True(await EdgeAsync("run", pretrain.Id.ToString(), "base_model_version", baseVersion.ToString()));
        Assert.True(await EdgeAsync("base_model_version", baseVersion.ToString(), "run", finetune.Id.ToString()));
        Assert.True(await EdgeAsync("run", finetune.Id.ToString(), "slm_version", slmVersion.ToString()));
    }

    private async Task<bool> EdgeAsync(string fromKind, string fromId, string toKind, string toId) =>
        await host.ScalarAsync<long>("SELECT count(*) FROM lineage_edges WHERE from_kind = $1 AND from_id = $2 AND to_kind = $3 AND to_id = $4",
            fromKind, fromId, toKind, toId) == 1;
}
