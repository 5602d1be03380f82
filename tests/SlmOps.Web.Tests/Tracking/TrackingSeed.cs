using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Workers;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Tracking;

/// <summary>
/// What the tracking tests need in the database and the artifact store: blobs uploaded through the artifact service,
/// a dataset version, a base model version, and runs in a given state, written the way the API and the web host do.
/// </summary>
internal static class TrackingSeed
{
    public static async Task<string> PutBlobAsync(HttpClient worker, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var response = await worker.PutAsync($"/api/v1/artifacts/{sha}", new ByteArrayContent(bytes));
        Assert.True(response.IsSuccessStatusCode, $"PUT artifact answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return sha;
    }

    /// <summary>A folder as the worker uploads one: every file, then its manifest (the folder's address).</summary>
    public static async Task<(string Manifest, Dictionary<string, string> Files)> PutFolderAsync(HttpClient worker, IReadOnlyDictionary<string, string> files)
    {
        var shas = new Dictionary<string, string>();
        foreach (var (name, text) in files) shas[name] = await PutBlobAsync(worker, text);
        var manifest = await PutBlobAsync(worker, JsonSerializer.Serialize(new { files = shas }));
        return (manifest, shas);
    }

    public static async Task<long> DatasetVersionAsync(ApiTestHost host, string sha, string name = "corpus")
    {
        var datasetId = await host.ScalarAsync<long>("INSERT INTO datasets (name, created_by) VALUES ($1, 'test') RETURNING id", name);
        return await host.ScalarAsync<long>(
            "INSERT INTO dataset_versions (dataset_id, version, sha256, size_bytes, format, created_by) VALUES ($1, 1, $2, 10, 'text', 'test') RETURNING id",
            datasetId, sha);
    }

    public static async Task<long> BaseModelVersionAsync(ApiTestHost host, string weights, string tokenizer, string manifest)
    {
        var baseId = await host.ScalarAsync<long>("INSERT INTO base_models (name, created_by) VALUES ($1, 'test') RETURNING id", "llm-" + Guid.NewGuid().ToString("N")[..8]);
        return await host.ScalarAsync<long>("""
            INSERT INTO base_model_versions (base_model_id, version, architecture_kind, architecture, parameter_count, weights_sha256, tokenizer_sha256, manifest_sha256, created_by)
            VALUES ($1, 1, 'fft', '{}', 10, $2, $3, $4, 'test') RETURNING id
            """, baseId, weights, tokenizer, manifest);
    }

    /// <summary>A run row as the runs API writes it, Queued (attempt 0) or Running at attempt 1.</summary>
    public static async Task<Guid> RunAsync(ApiTestHost host, RunKind kind, object spec, RunStatus status = RunStatus.Queued)
    {
        var id = Guid.NewGuid();
        await host.ExecuteAsync("INSERT INTO runs (id, kind, status, attempt, config, created_by) VALUES ($1, $2, $3, $4, $5::jsonb, 'tester')",
            id, kind.ToString(), status.ToString(), status == RunStatus.Running ? 1 : 0, JsonSerializer.Serialize(spec, RunSpecJson.Options));
        return id;
    }

    public static async Task<T> PostAsync<T>(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body, RunSpecJson.Options);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, RunSpecJson.Options)!;
    }

    public static RunOutcome Succeeded(int attempt, ModelOutput? model = null, PreparedOutput? prepared = null) =>
        new() { Attempt = attempt, Worker = "w1", Status = RunStatus.Succeeded, Model = model, Prepared = prepared };

    public static ModelOutput Model(string manifest, IReadOnlyDictionary<string, string> files) => new()
    {
        ManifestSha256 = manifest, WeightsSha256 = files["model.safetensors"], TokenizerSha256 = files["tokenizer.json"], Files = files,
        Config = JsonSerializer.SerializeToElement(new { method = "slm" }), Architecture = "fft", ParameterCount = 42,
        Evaluation = EvaluationMetrics.ForTraining(2.5, 10, 2.25, 1, Guid.NewGuid(), DateTimeOffset.UtcNow),
    };
}
