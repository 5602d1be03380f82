using System.Net.Http.Json;
using System.Text;
using SlmOps.Contracts;
using SlmOps.Web.Datasets;

namespace SlmOps.IntegrationTests.Registry;

/// <summary>
/// A <see cref="PipelineHost"/> that, once per class, takes a task through the REST API and the real worker: upload a
/// corpus and a task dataset (multipart), prepare, pretrain a tiny LLM, prepare the task data with the LLM's tokenizer,
/// and train two SLM versions of one task that differ (v1: tokens coupling, seed 7; v2: logits coupling, seed 8, more steps).
/// </summary>
public sealed class RegistryFlowHost : PipelineHost
{
    public const string TaskName = "rf-task";

    private readonly Lazy<Task<TrainedTask>> _trained;

    public RegistryFlowHost() => _trained = new(TrainAsync);

    /// <summary>
    /// Each alias change enqueues its webhook drain at once; the recurring drain every second and fast Hangfire
    /// schedule polling only shorten a retry's wait. The receiver is on loopback: private targets allowed.
    /// </summary>
    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
        [new("Webhooks:DrainInterval", "00:00:01"), new("Hangfire:SchedulePollingInterval", "00:00:00.2"), new("Webhooks:AllowPrivateTargets", "true")];

    protected override bool StartsServing => true;

    public Task<TrainedTask> TrainedAsync() => _trained.Value;

    private async Task<TrainedTask> TrainAsync()
    {
        using var client = CreateClient();
        var corpus = await UploadAsync(client, "rf-corpus", PipelineTests.Corpus());
        var prepare = await SubmitAsync(client, "prepare", new { datasetVersionId = corpus, tokenizerKind = "char-pair" }, "rf-prepare");
        await WaitForAsync(client, prepare.Id, RunStatus.Succeeded);

        var pretrain = await SubmitAsync(client, "pretrain",
            new { datasetVersionId = corpus, baseModelName = "rf-llm", preset = "tiny-fft", training = PipelineTests.TinyTraining }, "rf-pretrain");
        await WaitForAsync(client, pretrain.Id, RunStatus.Succeeded);
        var baseVersion = await ScalarAsync<long>("SELECT id FROM base_model_versions WHERE run_id = $1", pretrain.Id);

        var taskData = await UploadAsync(client, "rf-task-data", TaskText());
        var prepareTask = await SubmitAsync(client, "prepare",
            new { datasetVersionId = taskData, tokenizerKind = "char-pair", tokenizerFromBaseModelVersionId = baseVersion }, "rf-prepare-task");
        await WaitForAsync(client, prepareTask.Id, RunStatus.Succeeded);

        // One after the other, so that the first is version 1.
        await FineTuneAsync(client, baseVersion, taskData, "tokens", seed: 7, steps: 20);
        await FineTuneAsync(client, baseVersion, taskData, "logits", seed: 8, steps: 30);
        return new TrainedTask(baseVersion, taskData);
    }

    private async Task FineTuneAsync(HttpClient client, long baseVersion, long dataset, string coupling, int seed, int steps)
    {
        var run = await SubmitAsync(client, "finetune", new
        {
            baseModelVersionId = baseVersion, datasetVersionId = dataset, taskModelName = TaskName, method = "slm", coupling,
            slmPreset = "tiny-fft",
            training = new { steps, batchSize = 4, blockSize = 32, evalEvery = 10, checkpointEvery = 10, seed },
        }, $"rf-finetune-{coupling}");
        await WaitForAsync(client, run.Id, RunStatus.Succeeded);
    }

    /// <summary>Uploads a text file through POST /api/v1/datasets (multipart) and returns the new version's id.</summary>
    private static async Task<long> UploadAsync(HttpClient client, string name, string text)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new StringContent("text"), "format" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(text)), "file", name + ".txt" },
        };
        var response = await client.PostAsync("/api/v1/datasets", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/datasets answered {(int)response.StatusCode}: {body}");
        return (await response.Content.ReadFromJsonAsync<DatasetVersionDto>(Json))!.Id;
    }

    /// <summary>Task data in the corpus's alphabet (so the LLM's tokenizer covers it), blank lines between documents.</summary>
    private static string TaskText()
    {
        string[] lines = ["the lazy dog saves time", "a fox is not gold", "all that jumps is quick"];
        return string.Join("\n\n", Enumerable.Range(0, 40).Select(i => $"{lines[i % lines.Length]} {i % 5}"));
    }
}

/// <summary>The base model version both SLM versions follow and the dataset version they were trained (and evaluated) on.</summary>
public sealed record TrainedTask(long BaseModelVersionId, long DatasetVersionId);
