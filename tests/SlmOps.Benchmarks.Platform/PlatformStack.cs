using SlmOps.Data.Entities;
using SlmOps.TestSupport;

namespace SlmOps.Benchmarks.Platform;

/// <summary>
/// The platform on the running dev stack, isolated from it: the web app in-process on a loopback port over a fresh
/// migrated database, an artifact root and a queue prefix of its own (<see cref="WebAppHost"/>), and one real worker
/// process configured as a remote worker; all removed afterwards.
/// </summary>
public sealed class PlatformStack : IAsyncDisposable
{
    private readonly WebAppHost _web = new("bench", new Dictionary<string, string>
    {
        ["Sweeper:Enabled"] = "false", // nothing is lost here; a sweep would only add load
        ["Logging:LogLevel:Default"] = "Warning",
    });

    private string _adminKey = "";
    private WorkerProcess? _worker;

    public string DatabaseName => _web.DatabaseName;
    public string QueuePrefix => _web.QueuePrefix;
    public string ConnectionString => _web.ConnectionString;
    private string WorkerCache => _web.ArtifactsRoot + "-worker";

    public static async Task<PlatformStack> StartAsync()
    {
        var stack = new PlatformStack();
        try
        {
            ProgramContentRoot.UseWebProject();
            await stack._web.StartAsync(kestrel: true); // migrates before the worker connects
            stack._adminKey = await stack._web.CreateKeyAsync(ApiKeyRole.Admin, "bench-admin");
            var workerKey = await stack._web.CreateKeyAsync(ApiKeyRole.Worker, "bench-worker");
            // The worker as on a remote box: broker, the web host's URL and a worker key, its own cache; no database.
            var workerSettings = TestStack.RemoteWorkerSettings(stack.QueuePrefix, "bench-" + stack.QueuePrefix[13..21], stack._web.Url, workerKey, stack.WorkerCache);
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
    public HttpClient CreateClient() => _web.CreateClient(_adminKey);

    /// <summary>A text dataset version stored the way the upload API stores one: artifact file + rows.</summary>
    public Task<long> SeedDatasetAsync(string name, string text) => _web.SeedDatasetAsync(name, text);

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null) await _worker.DisposeAsync();
        await _web.DisposeAsync();
        if (Directory.Exists(WorkerCache)) Directory.Delete(WorkerCache, recursive: true);
    }
}
