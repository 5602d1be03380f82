using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Contracts;
using SlmOps.Contracts.Commands;
using SlmOps.Contracts.Runs;

namespace SlmOps.IntegrationTests;

/// <summary>Issue 15: plug-in PEFT with LoRA on a small model from the registry, through the API and the worker.</summary>
public sealed class PluginSmallModelTests(PipelineHost host) : IClassFixture<PipelineHost>
{
    [Fact]
    public async Task Plugin_lora_trains_on_a_registry_small_model_and_a_small_model_with_another_tokenizer_fails_naming_both_hashes()
    {
        using var client = host.CreateClient();
        var (dataset, llm) = await host.TinyBaseModelAsync(client, "ps");
        var small = await PretrainAsync(client, dataset, "ps-small");

        var finetune = await host.SubmitAsync(client, "finetune", new
        {
            baseModelVersionId = llm, datasetVersionId = dataset, taskModelName = "ps-task", method = "plugin-peft", pluginModule = "lora", loraRank = 2,
            pluginRatio = 4, pluginSmallBaseModelVersionId = small, training = PipelineTests.TinyTraining,
        }, "ps-finetune");
        await host.WaitForAsync(client, finetune.Id, RunStatus.Succeeded);
        Assert.True(await host.ScalarAsync<long>("SELECT count(*) FROM run_metrics WHERE run_id = $1 AND key = 'loss'", finetune.Id) > 0);
        using (var architecture = JsonDocument.Parse((await host.ScalarAsync<string>("SELECT architecture::text FROM slm_versions WHERE run_id = $1", finetune.Id))!))
        {
            Assert.Equal("plugin-peft", architecture.RootElement.GetProperty("method").GetString());
            Assert.Equal("lora", architecture.RootElement.GetProperty("pluginModule").GetString());
            Assert.Equal(small, architecture.RootElement.GetProperty("pluginSmallBaseModelVersionId").GetInt64());
        }

        // A small model pretrained on text with its own tokenizer: refused at submit, naming both tokenizers ...
        var otherData = await host.SeedDatasetAsync("ps-other", string.Join("\n\n", Enumerable.Range(0, 60).Select(i => $"zebra quartz {i} vex jolt wyvern kiwi")));
        var prepare = await host.SubmitAsync(client, "prepare", new { datasetVersionId = otherData, tokenizerKind = "char-pair" }, "ps-other-prepare");
        await host.WaitForAsync(client, prepare.Id, RunStatus.Succeeded);
        var other = await PretrainAsync(client, otherData, "ps-other-small");
        var llmTokenizer = await host.ScalarAsync<string>("SELECT tokenizer_sha256 FROM base_model_versions WHERE id = $1", llm);
        var otherTokenizer = await host.ScalarAsync<string>("SELECT tokenizer_sha256 FROM base_model_versions WHERE id = $1", other);
        var spec = new
        {
            baseModelVersionId = llm, datasetVersionId = dataset, taskModelName = "ps-task", method = "plugin-peft", pluginModule = "lora",
            pluginSmallBaseModelVersionId = other, training = PipelineTests.TinyTraining,
        };
        var refused = await client.PostAsJsonAsync("/api/v1/runs/finetune", new { name = "ps-refused", priority = 5, spec }, PipelineHost.Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var message = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("pluginSmallBaseModelVersionId")[0].GetString();
        Assert.Contains($"sha256 {otherTokenizer}", message);
        Assert.Contains($"sha256 {llmTokenizer}", message);

        // ... and a run that got past submission anyway fails on the worker with the same rule, before any step.
        var runId = Guid.NewGuid();
        await host.ExecuteAsync("INSERT INTO runs (id, kind, status, config, created_by) VALUES ($1, 'TrainTaskModel', 'Queued', $2::jsonb, 'test')",
            runId, JsonSerializer.Serialize(spec));
        var endpoint = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"exchange:{RunQueues.QueueName(host.QueuePrefix, "cpu")}"));
        await endpoint.Send(new TrainTaskModel(runId, 1));
        var failed = await host.WaitForAsync(client, runId, RunStatus.Failed);
        Assert.Contains($"sha256 {otherTokenizer}", failed.Error);
        Assert.Contains($"sha256 {llmTokenizer}", failed.Error);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM run_metrics WHERE run_id = $1 AND key = 'loss'", runId));
    }

    private async Task<long> PretrainAsync(HttpClient client, long dataset, string name)
    {
        var pretrain = await host.SubmitAsync(client, "pretrain",
            new { datasetVersionId = dataset, baseModelName = name, preset = "tiny-fft", training = PipelineTests.TinyTraining }, name + "-pretrain");
        await host.WaitForAsync(client, pretrain.Id, RunStatus.Succeeded);
        return await host.ScalarAsync<long>("SELECT id FROM base_model_versions WHERE run_id = $1", pretrain.Id);
    }
}
