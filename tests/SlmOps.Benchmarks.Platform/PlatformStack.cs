using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SlmOps.Data.Entities;
using SlmOps.Data.Artifacts;
using SlmOps.IntegrationTests;
using SlmOps.Web.Auth;

namespace SlmOps.Benchmarks.Platform;

/// <summary>
/// The platform on the running dev stack, isolated from it: a fresh migrated database, an artifact root and a
/// queue prefix of its own, the web app in-process and one real worker process; all removed afterwards.
/// </summary>
public sealed class PlatformStack : IAsyncDisposable
{
    private WebApplicationFactory<Program>? _web;
    private string _adminKey = "";
    private WorkerProcess? _worker;

    public string DatabaseName { get; } = $"slmops_bench_{Guid.NewGuid():N}";
    public string ArtifactsRoot { get; } = Path.Combine(Path.GetTempPath(), $"slmops-bench-{Guid.NewGuid():N}");
    public string QueuePrefix { get; } = $"slmops-bench-{Guid.NewGuid():N}-";
    public string ConnectionString => new NpgsqlConnectionStringBuilder(TestStack.PostgresConnectionString) { Database = DatabaseName }.ConnectionString;

    private Dictionary<string, string> Settings => new()
    {
        ["ConnectionStrings:Postgres"] = ConnectionString,
        ["Artifacts:Root"] = ArtifactsRoot,
        ["RunQueues:Prefix"] = QueuePrefix,
        ["RabbitMq:Host"] = TestStack.RabbitMqHost,
        ["RabbitMq:Port"] = TestStack.RabbitMqPort,
        ["RabbitMq:VirtualHost"] = TestStack.RabbitMqVirtualHost,
        ["RabbitMq:Username"] = TestStack.RabbitMqUsername,
        ["RabbitMq:Password"] = TestStack.RabbitMqPassword,
        ["Worker:Name"] = "bench-" + QueuePrefix[13..21],
        ["Sweeper:Enabled"] = "false", // nothing is lost here; a sweep would only add load
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
    };

    public static async Task<PlatformStack> StartAsync()
    {
        var stack = new PlatformStack();
        try
        {
            await ExecuteOnServerAsync($"CREATE DATABASE \"{stack.DatabaseName}\"");
            UseWebProjectAsContentRoot();
            stack._web = new SettingsFactory(stack.Settings);
            stack._web.UseKestrel(0);
            stack._web.StartServer(); // migrates before the worker connects
            var url = TestStack.LoopbackUrl(stack._web.Services);
            string workerKey;
            await using (var scope = stack._web.Services.CreateAsyncScope())
            {
                var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
                (_, stack._adminKey) = await keys.CreateAsync("bench-admin", ApiKeyRole.Admin, null, "bench", CancellationToken.None);
                (_, workerKey) = await keys.CreateAsync("bench-worker", ApiKeyRole.Worker, null, "bench", CancellationToken.None);
            }
            // The worker as on a remote box: broker, the web host's URL and a worker key, its own cache; no database.
            var workerSettings = TestStack.RemoteWorkerSettings(stack.QueuePrefix, "bench-" + stack.QueuePrefix[13..21], url, workerKey, stack.ArtifactsRoot + "-worker");
            workerSettings["Logging:LogLevel:Default"] = "Warning";
            stack._worker = await WorkerProcess.StartAsync(workerSettings, TimeSpan.FromMinutes(2));
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client whose requests carry the benchmark's admin key.</summary>
    public HttpClient CreateClient()
    {
        var client = (_web ?? throw new InvalidOperationException("Not started.")).CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminKey);
        return client;
    }

    /// <summary>A text dataset version stored the way the upload API stores one: artifact file + rows.</summary>
    public async Task<long> SeedDatasetAsync(string name, string text)
    {
        var stored = await new FileArtifactStore(ArtifactsRoot).PutAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await Command(connection, "INSERT INTO artifacts (sha256, size_bytes, media_type, uri) VALUES ($1, $2, 'text/plain', $3) ON CONFLICT DO NOTHING",
            stored.Sha256, stored.SizeBytes, stored.RelativePath).ExecuteNonQueryAsync();
        var datasetId = (long)(await Command(connection, "INSERT INTO datasets (name, created_by) VALUES ($1, 'bench') RETURNING id", name).ExecuteScalarAsync())!;
        return (long)(await Command(connection,
            "INSERT INTO dataset_versions (dataset_id, version, sha256, size_bytes, format, created_by) VALUES ($1, 1, $2, $3, 'text', 'bench') RETURNING id",
            datasetId, stored.Sha256, stored.SizeBytes).ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null) await _worker.DisposeAsync();
        if (_web is not null) await _web.DisposeAsync();
        await QueueCleanup.DeleteAsync(QueuePrefix);
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
        if (Directory.Exists(ArtifactsRoot)) Directory.Delete(ArtifactsRoot, recursive: true);
        if (Directory.Exists(ArtifactsRoot + "-worker")) Directory.Delete(ArtifactsRoot + "-worker", recursive: true);
    }

    /// <summary>
    /// WebApplicationFactory finds the app's folder by itself only from a test assembly; a program names it through
    /// this variable, taken from the manifest Mvc.Testing writes next to the build output.
    /// </summary>
    private static void UseWebProjectAsContentRoot()
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        var roots = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest))!;
        var web = roots.Single(r => r.Key.StartsWith(typeof(Program).Assembly.GetName().Name + ",", StringComparison.Ordinal)).Value;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_SLMOPS_WEB", web);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(TestStack.PostgresConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class SettingsFactory(Dictionary<string, string> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.UseSetting("Database:MigrateOnStartup", "true");
            builder.UseSetting("Logging:LogLevel:MassTransit", "Critical");
        }
    }
}
