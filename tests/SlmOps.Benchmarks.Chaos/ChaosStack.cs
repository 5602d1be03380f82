using System.Diagnostics;
using SlmOps.Data.Entities;
using SlmOps.TestSupport;

namespace SlmOps.Benchmarks.Chaos;

/// <summary>
/// A private SlmOps deployment the soak may hurt: its own PostgreSQL cluster and RabbitMQ node (nothing of the shared dev
/// stack is touched), the web app on a loopback Kestrel port (<see cref="WebAppHost"/>: own database, artifact folder and
/// queue prefix) and worker processes configured as remote workers (broker, web URL, worker key, own cache). Each fault
/// is a method; <see cref="WaitUntilReadyAsync"/> measures how long the whole deployment takes to answer ready again.
/// </summary>
public sealed class ChaosStack : IAsyncDisposable
{
    private readonly PrivatePostgres _postgres = new();
    private readonly PrivateRabbitMq _broker = new();
    private readonly WorkerProcess?[] _workers;
    private readonly int[] _starts;
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(3) };
    private WebAppHost? _web;
    private string _workerKey = "";

    private ChaosStack(int workers, string logs)
    {
        _workers = new WorkerProcess?[workers];
        _starts = new int[workers];
        LogDirectory = logs;
    }

    /// <summary>Where each worker process's output is saved when it is killed or stopped.</summary>
    public string LogDirectory { get; }

    private WebAppHost Web => _web ?? throw new InvalidOperationException("The stack has not been started.");
    public string AdminKey { get; private set; } = "";
    public string ConnectionString => Web.ConnectionString;
    public string WorkerName(int index) => $"chaos-w{index}";
    public int WorkerCount => _workers.Length;

    /// <summary>A Running run without a heartbeat this long has lost its worker (production: 60 s).</summary>
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Settings of the soak's web host, its clocks faster than production's so a killed worker's run is re-queued while
    /// the soak watches: the sweeper every 2 s (30 s), a lost worker noticed after <see cref="HeartbeatTimeout"/> (60 s),
    /// a lock abandoned by a PostgreSQL restart taken over after as long (60 s), dispatches re-sent after 20 s (120 s).
    /// </summary>
    private static readonly Dictionary<string, string> ApiHostSettings = new()
    {
        ["Sweeper:Interval"] = "00:00:02",
        ["Sweeper:HeartbeatTimeout"] = HeartbeatTimeout.ToString(),
        ["Hangfire:LockTimeout"] = HeartbeatTimeout.ToString(),
        ["Sweeper:DispatchTimeout"] = "00:00:20",
        ["Hangfire:SchedulePollingInterval"] = "00:00:01",
        ["Logging:LogLevel:Default"] = "Error",
        ["Logging:LogLevel:SlmOps"] = "Warning",
        ["Logging:LogLevel:Hangfire"] = "None",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "None",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "None",
    };

    public static async Task<ChaosStack> StartAsync(int workers, string logs)
    {
        Directory.CreateDirectory(logs);
        ProgramContentRoot.UseWebProject();
        var stack = new ChaosStack(workers, logs);
        try
        {
            await stack._postgres.StartAsync();
            await stack._broker.StartAsync();
            // TestSupport finds "the stack" through these variables; from here on they name the private services.
            Environment.SetEnvironmentVariable("SLMOPS_TEST_PG", stack._postgres.ConnectionString);
            Environment.SetEnvironmentVariable("SLMOPS_TEST_RABBITMQ_HOST", stack._broker.Host);
            Environment.SetEnvironmentVariable("SLMOPS_TEST_RABBITMQ_PORT", stack._broker.Port.ToString());
            Environment.SetEnvironmentVariable("SLMOPS_TEST_RABBITMQ_VHOST", stack._broker.VirtualHost);
            Environment.SetEnvironmentVariable("SLMOPS_TEST_RABBITMQ_USER", stack._broker.Username);
            Environment.SetEnvironmentVariable("SLMOPS_TEST_RABBITMQ_PASSWORD", stack._broker.Password);
            stack._web = new WebAppHost("chaos", ApiHostSettings);
            await stack._web.StartAsync(kestrel: true);
            stack.AdminKey = await stack._web.CreateKeyAsync(ApiKeyRole.Admin, "chaos-admin");
            stack._workerKey = await stack._web.CreateKeyAsync(ApiKeyRole.Worker, "chaos-worker");
            for (var i = 0; i < workers; i++) await stack.StartWorkerAsync(i);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public string Describe() =>
        $"PostgreSQL 127.0.0.1:{_postgres.Port} (private cluster), RabbitMQ {_broker.Host}:{_broker.Port} (private node), " +
        $"web {Web.Url} (database {Web.DatabaseName}, queue prefix {Web.QueuePrefix}), {WorkerCount} worker processes";

    public HttpClient CreateClient() => Web.CreateClient(AdminKey);

    public Task<long> SeedDatasetAsync(string name, string text) => Web.SeedDatasetAsync(name, text);

    public Task<T?> ScalarAsync<T>(string sql, params object[] values) => Web.ScalarAsync<T>(sql, values);

    /// <summary>Starts worker <paramref name="index"/> (again): same name and cache folder, as a rebooted box would.</summary>
    public async Task StartWorkerAsync(int index)
    {
        var name = WorkerName(index);
        var settings = TestStack.RemoteWorkerSettings(Web.QueuePrefix, name, Web.Url, _workerKey, Path.Combine(Web.ArtifactsRoot + "-workers", name));
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information";
        settings["Logging:LogLevel:SlmOps.Worker.Tracking.WorkerKeyCheck"] = "Information";
        settings["Logging:LogLevel:SlmOps.Worker.Capabilities"] = "Information";
        settings["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ";
        _workers[index] = await WorkerProcess.StartAsync(settings, TimeSpan.FromMinutes(2));
        _starts[index]++;
    }

    /// <summary>kill -9 of worker <paramref name="index"/>: no shutdown code runs, its run is left Running.</summary>
    public async Task KillWorkerAsync(int index)
    {
        if (_workers[index] is not { } worker) return;
        await worker.KillAsync();
        await SaveOutputAsync(index, worker);
        _workers[index] = null;
    }

    public Task StopPostgresAsync() => _postgres.StopAsync("fast");
    public Task StartPostgresAsync() => _postgres.StartAsync();
    public Task StopBrokerAsync() => _broker.StopAsync();
    public Task StartBrokerAsync() => _broker.StartAsync();
    public Task StopWebAsync() => Web.StopAsync();
    public Task StartWebAsync() => Web.StartAgainAsync(TimeSpan.FromMinutes(1));

    /// <summary>
    /// Seconds from <paramref name="since"/> until the web host and every worker answer /health/ready with 200, and the
    /// host that took longest.
    /// </summary>
    public async Task<(double Seconds, string Last)> WaitUntilReadyAsync(Stopwatch since, TimeSpan deadline)
    {
        var hosts = _workers.Select((w, i) => (Name: WorkerName(i), Url: w?.Url)).Where(h => h.Url is not null)
            .Select(h => (Name: h.Name, Url: h.Url!)).Prepend((Name: "web", Url: Web.Url)).ToList();
        var readyAt = new Dictionary<string, double>();
        while (since.Elapsed < deadline)
        {
            foreach (var (name, url) in hosts.Where(h => !readyAt.ContainsKey(h.Name)))
                if (await ReadyAsync(url)) readyAt[name] = since.Elapsed.TotalSeconds;
            if (readyAt.Count == hosts.Count)
            {
                var last = readyAt.MaxBy(r => r.Value);
                return (last.Value, last.Key);
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The deployment was not ready {deadline.TotalSeconds:0} s after the restart; ready: {string.Join(", ", readyAt.Keys)}.");
    }

    private async Task<bool> ReadyAsync(string url)
    {
        try
        {
            using var response = await _probe.GetAsync(url + "/health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private async Task SaveOutputAsync(int index, WorkerProcess worker) =>
        await File.WriteAllTextAsync(Path.Combine(LogDirectory, $"{WorkerName(index)}-{_starts[index]}.log"), worker.Output);

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _workers.Length; i++)
        {
            if (_workers[i] is not { } worker) continue;
            await worker.DisposeAsync();
            await SaveOutputAsync(i, worker);
        }
        try
        {
            if (_web is not null)
            {
                var workersRoot = _web.ArtifactsRoot + "-workers";
                await _web.DisposeAsync();
                if (Directory.Exists(workersRoot)) Directory.Delete(workersRoot, recursive: true);
            }
        }
        finally
        {
            await _broker.DisposeAsync();
            await _postgres.DisposeAsync();
            _probe.Dispose();
        }
    }
}
