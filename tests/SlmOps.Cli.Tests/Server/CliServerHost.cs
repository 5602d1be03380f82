using System.Security.Cryptography;
using SlmOps.Data.Entities;
using SlmOps.TestSupport;

namespace SlmOps.Cli.Tests.Server;

/// <summary>
/// Class fixture: the real web app listening on a loopback Kestrel port over its own freshly created and migrated
/// database, artifact directory and run-queue prefix (<see cref="WebAppHost"/>, all removed afterwards), with an
/// admin API key, so the CLI talks to it over real HTTP exactly as a user would.
/// </summary>
public sealed class CliServerHost : IAsyncLifetime
{
    private readonly WebAppHost _web = new("cli", new Dictionary<string, string>
    {
        ["Datasets:MaxUploadBytes"] = "65536",
        ["Logging:LogLevel:Default"] = "Warning",
    });

    /// <summary>The server's base URL, e.g. http://127.0.0.1:41234/.</summary>
    public string Url => _web.Url + "/";

    public string AdminKey { get; private set; } = "";

    public string ConnectionString => _web.ConnectionString;

    public async Task InitializeAsync()
    {
        await _web.StartAsync(kestrel: true); // runs the migrations (Database:MigrateOnStartup=true)
        // The serving host beside it, as deploy/up.sh runs it: `slmops generate` goes through the web host to it.
        _serving = new ServingAppHost(_web);
        await _serving.StartAsync();
        await _serving.ConnectAsync();
        AdminKey = await _web.CreateKeyAsync(ApiKeyRole.Admin, "cli-tests");
    }

    public async Task DisposeAsync()
    {
        if (_serving is not null) await _serving.DisposeAsync();
        await _web.DisposeAsync();
    }

    private ServingAppHost? _serving;

    /// <summary>A fresh environment for one CLI call: its own config file, this server and the admin key.</summary>
    public Dictionary<string, string> Environment(string? key = null) => new()
    {
        ["SLMOPS_CONFIG"] = Path.Combine(Directory.CreateTempSubdirectory("slmops-cli-config-").FullName, "config.json"),
        ["SLMOPS_SERVER"] = Url,
        ["SLMOPS_API_KEY"] = key ?? AdminKey,
    };

    public Task<CliResult> RunAsync(params string[] args) => ClientHarness.RunAsync(Environment(), args);

    public Task<T?> ScalarAsync<T>(string sql, params object[] values) => _web.ScalarAsync<T>(sql, values);

    public Task ExecuteAsync(string sql, params object[] values) => _web.ExecuteAsync(sql, values);

    /// <summary>A well-formed key (slm_&lt;8 lowercase&gt;_&lt;40 alphanumerics&gt;) that no server knows.</summary>
    public static string NewKey() =>
        $"slm_{RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 8)}_{RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40)}";
}
