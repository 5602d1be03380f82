using System.Diagnostics;
using Npgsql;

namespace SlmOps.TestSupport;

/// <summary>
/// A PostgreSQL cluster of the caller's own (the way deploy/stack.sh starts the dev one): initdb into a temporary
/// folder, a free loopback port, trust authentication for the superuser on loopback only. The caller can stop, restart
/// or crash it without touching the shared server other test assemblies use; its data outlives a stop. As root it runs
/// as the <c>postgres</c> OS user, which PostgreSQL requires.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"slmops-pg-{Guid.NewGuid():N}");
    private readonly string _bin = BinDirectory();

    public int Port { get; } = TestStack.FreePort();

    /// <summary>The superuser on the maintenance database; TestDatabase and WebAppHost make their databases from it.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Database = "postgres", Username = "postgres", Pooling = false,
    }.ConnectionString;

    private string Data => Path.Combine(_dir, "data");

    /// <summary>Creates the cluster on first use, starts it and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (!Directory.Exists(Data))
        {
            Directory.CreateDirectory(_dir);
            if (IsRoot) await RunAsync("chown", "postgres:postgres", _dir);
            await PgAsync("initdb", "-D", Data, "-U", "postgres", "-E", "UTF8", "--no-locale", "--auth=trust");
            await PgAsync("sh", "-c", $"printf \"listen_addresses = '127.0.0.1'\\nport = {Port}\\nunix_socket_directories = '{_dir}'\\nmax_connections = 200\\nfsync = off\\n\" >> '{Data}/postgresql.conf'");
        }
        await PgAsync(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-l", Path.Combine(_dir, "postgres.log"), "-w", "-t", "90", "start");
    }

    /// <summary>Stops the server: <c>fast</c> ends sessions cleanly, <c>immediate</c> is a crash (recovery at the next start).</summary>
    public Task StopAsync(string mode = "fast") => PgAsync(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-m", mode, "-w", "-t", "90", "stop");

    public async ValueTask DisposeAsync()
    {
        try { if (File.Exists(Path.Combine(Data, "postmaster.pid"))) await StopAsync("immediate"); }
        finally { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static string BinDirectory() =>
        Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
        ?? throw new InvalidOperationException("PostgreSQL server binaries are missing under /usr/lib/postgresql; run deploy/install.sh.");

    /// <summary>A PostgreSQL tool (or sh) as the postgres OS user when root.</summary>
    private Task PgAsync(string tool, params string[] arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", ResolveTool(tool), .. arguments]) : RunAsync(ResolveTool(tool), arguments);

    private string ResolveTool(string tool) => tool.Contains('/') || tool == "sh" ? tool : Path.Combine(_bin, tool);

    private async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(StartDeadline);
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error} (log {_dir}/postgres.log)");
    }
}
