using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SlmOps.Contracts;
using SlmOps.Data.Artifacts;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;

namespace SlmOps.IntegrationTests;

/// <summary>
/// Class fixture: a fresh migrated database, an artifact root, a queue prefix of its own, the web app in-process on
/// a loopback Kestrel port, and one real worker process configured as a remote worker would be: the broker, the web
/// host's URL and a worker key, its own cache folder, and no database setting at all. All removed afterwards.
/// </summary>
public class PipelineHost : IAsyncLifetime
{
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private WebApplicationFactory<Program>? _web;
    private WorkerProcess? _worker;

    public string DatabaseName { get; } = $"slmops_test_it_{Guid.NewGuid():N}";
    public string ArtifactsRoot { get; } = Path.Combine(Path.GetTempPath(), $"slmops-it-{Guid.NewGuid():N}");
    public string QueuePrefix { get; } = $"slmops-it-{Guid.NewGuid():N}-";

    /// <summary>The workers' folders (each worker a subfolder): never the web host's artifact root.</summary>
    public string WorkersRoot { get; } = Path.Combine(Path.GetTempPath(), $"slmops-it-workers-{Guid.NewGuid():N}");

    /// <summary>The web host's base URL on loopback, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The worker key (role worker) every worker process of this fixture carries.</summary>
    public string WorkerKey { get; private set; } = "";
    public string ConnectionString => new NpgsqlConnectionStringBuilder(TestStack.PostgresConnectionString) { Database = DatabaseName }.ConnectionString;
    public IServiceProvider Services => Web.Services;
    public string WorkerOutput => _worker?.Output ?? "";
    private WebApplicationFactory<Program> Web => _web ?? throw new InvalidOperationException("Fixture not initialised.");

    /// <summary>The web host's settings.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["ConnectionStrings:Postgres"] = ConnectionString,
        ["Artifacts:Root"] = ArtifactsRoot,
        ["RunQueues:Prefix"] = QueuePrefix,
        ["RabbitMq:Host"] = TestStack.RabbitMqHost,
        ["RabbitMq:Port"] = TestStack.RabbitMqPort,
        ["RabbitMq:VirtualHost"] = TestStack.RabbitMqVirtualHost,
        ["RabbitMq:Username"] = TestStack.RabbitMqUsername,
        ["RabbitMq:Password"] = TestStack.RabbitMqPassword,
        ["Worker:Name"] = "it-" + QueuePrefix[10..18],
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
    }.Concat(ExtraSettings).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value); // a derived fixture's value wins

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
    public HttpClient CreateClient() => WithKey(Web.CreateClient(), AdminKey);

    /// <summary>A client whose requests carry a fresh key of the given role.</summary>
    public async Task<HttpClient> CreateClientAsync(ApiKeyRole role, string? keyName = null) =>
        WithKey(Web.CreateClient(), await CreateKeyAsync(role, keyName ?? $"it-{role.ToString().ToLowerInvariant()}"));

    /// <summary>
    /// Another web instance of this deployment (same database and broker) with settings of its own, e.g. another
    /// artifact folder; the caller disposes it. Its clients carry the admin key.
    /// </summary>
    public WebApplicationFactory<Program> CreateWebInstance(IReadOnlyDictionary<string, string> overrides) => new SettingsFactory(this, overrides);

    public static HttpClient AdminClientOf(WebApplicationFactory<Program> instance, string adminKey) => WithKey(instance.CreateClient(), adminKey);

    public async Task<string> CreateKeyAsync(ApiKeyRole role, string name)
    {
        await using var scope = Web.Services.CreateAsyncScope();
        var (_, plaintext) = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(name, role, null, "tests", CancellationToken.None);
        return plaintext;
    }

    private static HttpClient WithKey(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task InitializeAsync()
    {
        await TestStack.ExecuteOnServerAsync($"CREATE DATABASE \"{DatabaseName}\"");
        _web = new SettingsFactory(this);
        _web.UseKestrel(0);
        _web.StartServer(); // migrates (Database:MigrateOnStartup=true) before the worker connects
        Url = TestStack.LoopbackUrl(_web.Services);
        AdminKey = await CreateKeyAsync(ApiKeyRole.Admin, "it-admin");
        WorkerKey = await CreateKeyAsync(ApiKeyRole.Worker, "it-worker");
        if (StartsWorkerWithHost) await StartWorkerAsync();
    }

    /// <summary>False for fixtures that submit work before any worker exists.</summary>
    protected virtual bool StartsWorkerWithHost => true;

    /// <summary>Settings added to both hosts by a derived fixture; they replace the defaults above of the same key.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> ExtraSettings => [];

    public async Task StartWorkerAsync() => _worker ??= await WorkerProcess.StartAsync(WorkerSettings(), TimeSpan.FromMinutes(2));

    /// <summary>A worker process under its own name (and so its own cache folder).</summary>
    internal Task<WorkerProcess> StartNamedWorkerAsync(string name) => WorkerProcess.StartAsync(WorkerSettings(name), TimeSpan.FromMinutes(2));


    public async Task DisposeAsync()
    {
        if (_worker is not null) await _worker.DisposeAsync();
        if (_web is not null) await _web.DisposeAsync();
        await QueueCleanup.DeleteAsync(QueuePrefix);
        NpgsqlConnection.ClearAllPools();
        await TestStack.ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
        if (Directory.Exists(ArtifactsRoot)) Directory.Delete(ArtifactsRoot, recursive: true);
        if (Directory.Exists(WorkersRoot)) Directory.Delete(WorkersRoot, recursive: true);
    }

    /// <summary>A text dataset version seeded the way the upload API stores one: artifact file + rows.</summary>
    public async Task<long> SeedDatasetAsync(string name, string text)
    {
        var stored = await new FileArtifactStore(ArtifactsRoot).PutAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        await ExecuteAsync("INSERT INTO artifacts (sha256, size_bytes, media_type, uri) VALUES ($1, $2, 'text/plain', $3) ON CONFLICT DO NOTHING",
            stored.Sha256, stored.SizeBytes, stored.RelativePath);
        var datasetId = await ScalarAsync<long>("INSERT INTO datasets (name, created_by) VALUES ($1, 'test') RETURNING id", name);
        return await ScalarAsync<long>(
            "INSERT INTO dataset_versions (dataset_id, version, sha256, size_bytes, format, created_by) VALUES ($1, 1, $2, $3, 'text', 'test') RETURNING id",
            datasetId, stored.Sha256, stored.SizeBytes);
    }

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

    public async Task<T?> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public Task ExecuteAsync(string sql, params object[] values) => ScalarAsync<object>(sql, values);

    private sealed class SettingsFactory(PipelineHost host, IReadOnlyDictionary<string, string>? overrides = null) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in host.Settings) builder.UseSetting(key, value);
            foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
            builder.UseSetting("Database:MigrateOnStartup", "true");
            builder.UseSetting("Logging:LogLevel:MassTransit", "Critical");
        }
    }
}

/// <summary>The fields of the runs API's RunDto that the tests read.</summary>
public sealed record RunView(Guid Id, RunKind Kind, RunStatus Status, int Attempt, double Progress, string? Error, DateTimeOffset? CancelRequestedAt);
