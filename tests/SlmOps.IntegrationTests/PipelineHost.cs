using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc.Testing;
using SlmOps.Contracts;
using SlmOps.Data.Entities;

namespace SlmOps.IntegrationTests;

/// <summary>
/// Class fixture: the web app on a loopback Kestrel port over a fresh migrated database, an artifact root and a
/// queue prefix of its own (<see cref="WebAppHost"/>), and one real worker process configured as a remote worker
/// would be: the broker, the web host's URL and a worker key, its own cache folder, and no database setting at
/// all. All removed afterwards.
/// </summary>
public class PipelineHost : IAsyncLifetime
{
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private WebAppHost? _web;
    private WorkerProcess? _worker;
    private ServingAppHost? _serving;

    /// <summary>The workers' folders (each worker a subfolder): never the web host's artifact root.</summary>
    public string WorkersRoot { get; } = Path.Combine(Path.GetTempPath(), $"slmops-it-workers-{Guid.NewGuid():N}");

    private WebAppHost Web => _web ?? throw new InvalidOperationException("Fixture not initialised.");
    public string QueuePrefix => Web.QueuePrefix;
    public string ArtifactsRoot => Web.ArtifactsRoot;
    public string ConnectionString => Web.ConnectionString;

    /// <summary>The web host's base URL on loopback, e.g. http://127.0.0.1:41234.</summary>
    public string Url => Web.Url;

    /// <summary>The worker key (role worker) every worker process of this fixture carries.</summary>
    public string WorkerKey { get; private set; } = "";
    public IServiceProvider Services => Web.Services;
    public string WorkerOutput => _worker?.Output ?? "";

    /// <summary>
    /// A worker's whole configuration, as on a remote box: broker, queue prefix, the web host's URL and a worker key,
    /// a cache folder of its own. No ConnectionStrings, no Artifacts:Root.
    /// </summary>
    public Dictionary<string, string> WorkerSettings(string? name = null)
    {
        var workerName = name ?? "it-" + QueuePrefix[10..18];
        return TestStack.RemoteWorkerSettings(QueuePrefix, workerName, Url, WorkerKey, Path.Combine(WorkersRoot, workerName))
            .Concat(ExtraSettings.Where(s => !s.Key.StartsWith("ConnectionStrings:", StringComparison.Ordinal) && s.Key != "Artifacts:Root"))
            .GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value);
    }

    /// <summary>The admin key (named "it-admin") that every <see cref="CreateClient()"/> client carries.</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>A client that acts as an admin.</summary>
    public HttpClient CreateClient() => Web.CreateClient(AdminKey);

    /// <summary>A client whose requests carry a fresh key of the given role.</summary>
    public async Task<HttpClient> CreateClientAsync(ApiKeyRole role, string? keyName = null) =>
        Web.CreateClient(await CreateKeyAsync(role, keyName ?? $"it-{role.ToString().ToLowerInvariant()}"));

    /// <summary>
    /// Another web instance of this deployment (same database and broker) with settings of its own, e.g. another
    /// artifact folder; the caller disposes it. Its clients carry the admin key.
    /// </summary>
    public WebApplicationFactory<Program> CreateWebInstance(IReadOnlyDictionary<string, string> overrides) => Web.CreateInstance(overrides);

    public static HttpClient AdminClientOf(WebApplicationFactory<Program> instance, string adminKey) => WebAppHost.WithKey(instance.CreateClient(), adminKey);

    public Task<string> CreateKeyAsync(ApiKeyRole role, string name) => Web.CreateKeyAsync(role, name);

    public async Task InitializeAsync()
    {
        _web = new WebAppHost("it", ExtraSettings.Append(new("Worker:Name", "it-web")).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value));
        await _web.StartAsync(kestrel: true); // migrates before the worker connects
        AdminKey = await CreateKeyAsync(ApiKeyRole.Admin, "it-admin");
        WorkerKey = await CreateKeyAsync(ApiKeyRole.Worker, "it-worker");
        if (StartsServing)
        {
            _serving = new ServingAppHost(_web);
            await _serving.StartAsync();
            await _serving.ConnectAsync();
        }
        if (StartsWorkerWithHost) await StartWorkerAsync();
    }

    /// <summary>Another serving instance of this deployment with settings of its own (e.g. its own folder); the caller disposes it.</summary>
    public async Task<ServingAppHost> StartServingInstanceAsync(IReadOnlyDictionary<string, string> settings)
    {
        var serving = new ServingAppHost(Web, settings);
        await serving.StartAsync();
        return serving;
    }

    /// <summary>True for fixtures that generate: the serving host starts beside the web host, which forwards to it.</summary>
    protected virtual bool StartsServing => false;

    /// <summary>False for fixtures that submit work before any worker exists.</summary>
    protected virtual bool StartsWorkerWithHost => true;

    /// <summary>Settings added to both hosts by a derived fixture; they replace the defaults of the same key.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> ExtraSettings => [];

    public async Task StartWorkerAsync() => _worker ??= await WorkerProcess.StartAsync(WorkerSettings(), TimeSpan.FromMinutes(2));

    /// <summary>A worker process under its own name (and so its own cache folder).</summary>
    internal Task<WorkerProcess> StartNamedWorkerAsync(string name) => WorkerProcess.StartAsync(WorkerSettings(name), TimeSpan.FromMinutes(2));

    public async Task DisposeAsync()
    {
        if (_worker is not null) await _worker.DisposeAsync();
        if (_serving is not null) await _serving.DisposeAsync();
        if (_web is not null) await _web.DisposeAsync();
        if (Directory.Exists(WorkersRoot)) Directory.Delete(WorkersRoot, recursive: true);
    }

    /// <summary>A text dataset version seeded the way the upload API stores one: artifact file + rows.</summary>
    public Task<long> SeedDatasetAsync(string name, string text) => Web.SeedDatasetAsync(name, text);

    public async Task<RunView> SubmitAsync(HttpClient client, string kind, object spec, string name)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/runs/{kind}", new { name, priority = 5, spec }, Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/runs/{kind} answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<RunView>(body, Json)!;
    }

    /// <summary>Polls the run until it reaches one of the given statuses; fails with the worker log at the deadline.</summary>
    public async Task<RunView> WaitForAsync(HttpClient client, Guid runId, params RunStatus[] statuses)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        RunView? run = null;
        while (!deadline.IsCancellationRequested)
        {
            run = await client.GetFromJsonAsync<RunView>($"/api/v1/runs/{runId}", Json);
            if (statuses.Contains(run!.Status)) return run;
            if (run.Status is RunStatus.Failed or RunStatus.Succeeded or RunStatus.Cancelled)
                Assert.Fail($"Run {runId} ended as {run.Status} ({run.Error}), expected {string.Join("/", statuses)}.\n{WorkerOutput}");
            await Task.Delay(500, CancellationToken.None);
        }
        Assert.Fail($"Run {runId} still {run?.Status} (progress {run?.Progress}) after {Deadline}.\n{WorkerOutput}");
        return run!;
    }

    /// <summary>A prepared corpus ("{prefix}-corpus") and a tiny base model pretrained on it ("{prefix}-llm"), through the API and the worker.</summary>
    public async Task<(long Dataset, long BaseVersion)> TinyBaseModelAsync(HttpClient client, string prefix)
    {
        var dataset = await SeedDatasetAsync(prefix + "-corpus", PipelineTests.Corpus());
        var prepare = await SubmitAsync(client, "prepare", new { datasetVersionId = dataset, tokenizerKind = "char-pair" }, prefix + "-prepare");
        await WaitForAsync(client, prepare.Id, RunStatus.Succeeded);
        var pretrain = await SubmitAsync(client, "pretrain",
            new { datasetVersionId = dataset, baseModelName = prefix + "-llm", preset = "tiny-fft", training = PipelineTests.TinyTraining }, prefix + "-pretrain");
        await WaitForAsync(client, pretrain.Id, RunStatus.Succeeded);
        return (dataset, await ScalarAsync<long>("SELECT id FROM base_model_versions WHERE run_id = $1", pretrain.Id));
    }

    /// <summary>Stops the web host and starts a fresh instance on the same port, database, artifacts and queues, as a deploy
    /// would; clients made before it must be made again.</summary>
    public async Task RestartWebAsync()
    {
        await Web.StopAsync();
        await Web.StartAgainAsync(TimeSpan.FromSeconds(30));
    }

    public Task<T?> ScalarAsync<T>(string sql, params object[] values) => Web.ScalarAsync<T>(sql, values);

    public Task ExecuteAsync(string sql, params object[] values) => Web.ExecuteAsync(sql, values);
}

/// <summary>The fields of the runs API's RunDto that the tests read.</summary>
public sealed record RunView(Guid Id, RunKind Kind, RunStatus Status, int Attempt, double Progress, string? Error, DateTimeOffset? CancelRequestedAt);
