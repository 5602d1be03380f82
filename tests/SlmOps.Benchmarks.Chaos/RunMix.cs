using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SlmOps.Benchmarks.Chaos;

/// <summary>One submitted run of the soak and what its metric series must hold if it succeeds.</summary>
public sealed record SoakRun(Guid Id, string Name, string Kind, int TrainingSteps);

/// <summary>
/// The soak's work through the REST API: a corpus, its preparation and a small base model first (not counted), then runs
/// of the tiny presets that cycle pretrain, fine-tune (an SLM against that base model) and evaluate.
/// </summary>
public sealed class RunMix(ChaosStack stack, ChaosOptions options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly HttpClient _client = stack.CreateClient();
    private long _datasetVersion;
    private long _baseModelVersion;

    private const int SetUpSteps = 100;

    /// <summary>Uploads and prepares the corpus and pretrains the base model the fine-tunes and evaluations use.</summary>
    public async Task SetUpAsync(TimeSpan deadline)
    {
        _datasetVersion = await stack.SeedDatasetAsync("chaos-corpus", Corpus(options.Seed));
        var prepare = await SubmitAsync("prepare", new { datasetVersionId = _datasetVersion, tokenizerKind = "char-pair" }, "chaos-prepare");
        await WaitForSuccessAsync(prepare, deadline);
        var pretrain = await SubmitAsync("pretrain", PretrainSpec("chaos-base", SetUpSteps), "chaos-base");
        await WaitForSuccessAsync(pretrain, deadline);
        _baseModelVersion = await stack.ScalarAsync<long>("SELECT id FROM base_model_versions WHERE run_id = $1", pretrain);
    }

    public async Task<IReadOnlyList<SoakRun>> SubmitAllAsync()
    {
        var runs = new List<SoakRun>();
        for (var i = 0; i < options.Runs; i++)
        {
            var name = $"chaos-{i:D2}";
            runs.Add((i % 3) switch
            {
                0 => new SoakRun(await SubmitAsync("pretrain", PretrainSpec($"chaos-llm-{i:D2}", options.Steps), name), name, "pretrain", options.Steps),
                1 => new SoakRun(await SubmitAsync("finetune", new
                {
                    baseModelVersionId = _baseModelVersion, datasetVersionId = _datasetVersion, taskModelName = $"chaos-task-{i:D2}",
                    method = "slm", coupling = "logits", slmPreset = "tiny-fft", training = Training(options.Steps),
                }, name), name, "finetune", options.Steps),
                _ => new SoakRun(await SubmitAsync("evaluate", new
                {
                    datasetVersionId = _datasetVersion, baseModelVersionId = _baseModelVersion, batches = 4, batchSize = 4,
                }, name), name, "evaluate", 0),
            });
        }
        return runs;
    }

    private object PretrainSpec(string baseModelName, int steps) =>
        new { datasetVersionId = _datasetVersion, baseModelName, preset = "tiny-fft", training = Training(steps) };

    /// <summary>Small and checkpointed often, so a killed attempt resumes rather than starts over.</summary>
    private static object Training(int steps) =>
        new { steps, batchSize = 4, blockSize = 32, evalEvery = 0, checkpointEvery = Math.Max(5, steps / 6), seed = 11 };

    private async Task<Guid> SubmitAsync(string kind, object spec, string name)
    {
        using var response = await _client.PostAsJsonAsync($"/api/v1/runs/{kind}", new { name, priority = 5, spec }, Json);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/v1/runs/{kind} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    private async Task WaitForSuccessAsync(Guid run, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            var status = await stack.ScalarAsync<string>("SELECT status FROM runs WHERE id = $1", run);
            if (status == "Succeeded") return;
            if (status is "Failed" or "Cancelled")
                throw new InvalidOperationException($"Set-up run {run} ended {status}: {await stack.ScalarAsync<string>("SELECT error FROM runs WHERE id = $1", run)}");
            await Task.Delay(500);
        }
        throw new TimeoutException($"Set-up run {run} did not succeed within {deadline}.");
    }

    /// <summary>A few thousand words of seeded pseudo-sentences, split into documents by blank lines.</summary>
    public static string Corpus(int seed)
    {
        string[] words = ["the", "a", "model", "small", "large", "learns", "follows", "token", "frozen", "task", "data", "run",
            "worker", "queue", "restart", "step", "loss", "falls", "slowly", "again", "and", "then", "of", "to"];
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var line = 0; line < 400; line++)
        {
            var length = 6 + random.Next(8);
            text.AppendJoin(' ', Enumerable.Range(0, length).Select(_ => words[random.Next(words.Length)])).Append(".\n");
            if (line % 8 == 7) text.Append('\n');
        }
        return text.ToString();
    }
}
