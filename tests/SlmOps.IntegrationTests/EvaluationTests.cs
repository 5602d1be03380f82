using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Contracts;
using SlmOps.Contracts.Commands;
using SlmOps.Contracts.Runs;

namespace SlmOps.IntegrationTests;

/// <summary>Issue 5: Evaluate runs score registry versions on a prepared dataset version and record the result.</summary>
public sealed class EvaluationTests(PipelineHost host) : IClassFixture<PipelineHost>
{
    [Fact]
    public async Task Evaluating_an_slm_version_records_metrics_and_merges_the_result_into_its_evaluation_metrics()
    {
        using var client = host.CreateClient();
        var (dataset, baseVersion, slmVersion, finetuneRun) = await TrainedSlmAsync(client, "ev");

        var trained = await MetricsAsync("slm_versions", slmVersion);
        Assert.Equal(dataset, trained.GetProperty("val_dataset_version_id").GetInt64());
        var trainedLoss = trained.GetProperty("val_loss").GetDouble();
        var fromTraining = trained.GetProperty("evaluations").GetProperty(dataset.ToString());
        Assert.Equal(trainedLoss, fromTraining.GetProperty("val_loss").GetDouble());
        Assert.Equal(finetuneRun.ToString(), fromTraining.GetProperty("run_id").GetString());

        var evaluate = await host.SubmitAsync(client, "evaluate", new { datasetVersionId = dataset, slmVersionId = slmVersion, batches = 2 }, "ev-evaluate");
        await host.WaitForAsync(client, evaluate.Id, RunStatus.Succeeded);

        var valLoss = await host.ScalarAsync<double>("SELECT value FROM run_metrics WHERE run_id = $1 AND key = 'eval/val_loss'", evaluate.Id);
        var perplexity = await host.ScalarAsync<double>("SELECT value FROM run_metrics WHERE run_id = $1 AND key = 'eval/perplexity'", evaluate.Id);
        Assert.True(double.IsFinite(valLoss) && valLoss > 0, $"eval/val_loss {valLoss}");
        Assert.Equal(Math.Exp(valLoss), perplexity, 6);

        var merged = await MetricsAsync("slm_versions", slmVersion);
        var evaluation = merged.GetProperty("evaluations").GetProperty(dataset.ToString());
        Assert.Equal(evaluate.Id.ToString(), evaluation.GetProperty("run_id").GetString());
        Assert.Equal(valLoss, evaluation.GetProperty("val_loss").GetDouble(), 9);
        Assert.True(DateTimeOffset.TryParse(evaluation.GetProperty("at").GetString(), out _));
        // Merging keeps what training wrote.
        Assert.Equal(trainedLoss, merged.GetProperty("val_loss").GetDouble());
        Assert.Equal(dataset, merged.GetProperty("val_dataset_version_id").GetInt64());
        Assert.Equal(1L, await host.ScalarAsync<long>(
            "SELECT count(*) FROM lineage_edges WHERE from_kind = 'slm_version' AND from_id = $1 AND to_kind = 'run' AND to_id = $2",
            slmVersion.ToString(), evaluate.Id.ToString()));

        var llmAlone = await host.SubmitAsync(client, "evaluate", new { datasetVersionId = dataset, baseModelVersionId = baseVersion, batches = 2 }, "ev-llm");
        await host.WaitForAsync(client, llmAlone.Id, RunStatus.Succeeded);
        var baseEvaluation = (await MetricsAsync("base_model_versions", baseVersion)).GetProperty("evaluations").GetProperty(dataset.ToString());
        Assert.Equal(llmAlone.Id.ToString(), baseEvaluation.GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task A_dataset_prepared_with_another_tokenizer_is_refused_at_submit_and_fails_the_run_with_a_clear_error()
    {
        using var client = host.CreateClient();
        var (_, _, slmVersion, _) = await TrainedSlmAsync(client, "tk");
        // Different text, own char-pair tokenizer: a different vocabulary than the base model's.
        var other = await host.SeedDatasetAsync("tk-other", string.Join("\n\n", Enumerable.Range(0, 30).Select(i => $"zebra quartz {i} vex jolt wyvern kiwi")));
        var prepare = await host.SubmitAsync(client, "prepare", new { datasetVersionId = other, tokenizerKind = "char-pair" }, "tk-other-prepare");
        await host.WaitForAsync(client, prepare.Id, RunStatus.Succeeded);

        var refused = await client.PostAsJsonAsync("/api/v1/runs/evaluate",
            new { name = "tk-refused", priority = 5, spec = new { datasetVersionId = other, slmVersionId = slmVersion } }, PipelineHost.Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("tokenizerFromBaseModelVersionId", problem.GetProperty("errors").GetProperty("datasetVersionId")[0].GetString());

        // A run that got past submission anyway (e.g. the dataset was re-prepared meanwhile) fails on the worker.
        var runId = Guid.NewGuid();
        await host.ExecuteAsync("INSERT INTO runs (id, kind, status, config, created_by) VALUES ($1, 'Evaluate', 'Queued', $2::jsonb, 'test')",
            runId, JsonSerializer.Serialize(new { datasetVersionId = other, slmVersionId = slmVersion }));
        var endpoint = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"exchange:{RunQueues.QueueName(host.QueuePrefix, "cpu")}"));
        await endpoint.Send(new EvaluateModel(runId, 1));

        var failed = await host.WaitForAsync(client, runId, RunStatus.Failed);
        Assert.Contains("was prepared with tokenizer", failed.Error);
        Assert.Contains("tokenizerFromBaseModelVersionId", failed.Error);
    }

    private async Task<(long Dataset, long BaseVersion, long SlmVersion, Guid FineTuneRun)> TrainedSlmAsync(HttpClient client, string prefix)
    {
        var (dataset, baseVersion) = await host.TinyBaseModelAsync(client, prefix);
        var finetune = await host.SubmitAsync(client, "finetune", new
        {
            baseModelVersionId = baseVersion, datasetVersionId = dataset, taskModelName = prefix + "-task",
            method = "slm", coupling = "tokens", slmPreset = "tiny-fft", training = PipelineTests.TinyTraining,
        }, prefix + "-finetune");
        await host.WaitForAsync(client, finetune.Id, RunStatus.Succeeded);
        var slmVersion = await host.ScalarAsync<long>("SELECT id FROM slm_versions WHERE run_id = $1", finetune.Id);
        return (dataset, baseVersion, slmVersion, finetune.Id);
    }

    private async Task<JsonElement> MetricsAsync(string table, long id) =>
        JsonDocument.Parse((await host.ScalarAsync<string>($"SELECT evaluation_metrics::text FROM {table} WHERE id = $1", id))!).RootElement.Clone();
}
