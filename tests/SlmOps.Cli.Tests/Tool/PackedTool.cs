using System.Diagnostics;
using System.IO.Compression;

namespace SlmOps.Cli.Tests.Tool;

/// <summary>
/// Class fixture: `dotnet pack` of src/SlmOps.Cli (the build the tests already made: --no-build, same configuration)
/// into a temporary feed, then `dotnet tool install SlmOps.Cli --tool-path TMP` from that feed alone (a nuget.config
/// that clears every other source: a tool package carries its dependencies, so no network is needed). Everything it
/// makes is under one temporary folder, removed afterwards.
/// </summary>
public sealed class PackedTool : IAsyncLifetime
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("slmops-cli-tool-");

    public string Feed => Path.Combine(_root.FullName, "feed");
    public string ToolPath => Path.Combine(_root.FullName, "tools");
    public string Package { get; private set; } = "";

    /// <summary>The installed command: TOOLPATH/slmops.</summary>
    public string Command => Path.Combine(ToolPath, "slmops");

    public async Task InitializeAsync()
    {
        var project = Path.Combine(RepositoryRoot(), "src", "SlmOps.Cli", "SlmOps.Cli.csproj");
        await RequireAsync(await DotnetAsync("pack", project, "-c", Configuration, "--no-build", "-o", Feed, "-nologo", "-nodeReuse:false"), "dotnet pack");
        Package = Directory.GetFiles(Feed, "SlmOps.Cli.*.nupkg").Single();
        var version = Path.GetFileNameWithoutExtension(Package)["SlmOps.Cli.".Length..];
        var config = Path.Combine(_root.FullName, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="slmops-test-feed" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        await RequireAsync(await DotnetAsync("tool", "install", "SlmOps.Cli", "--version", version, "--tool-path", ToolPath, "--configfile", config), "dotnet tool install");
    }

    public Task DisposeAsync()
    {
        _root.Delete(recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The names of the files inside the .nupkg.</summary>
    public IReadOnlyList<string> PackageEntries()
    {
        using var zip = ZipFile.OpenRead(Package);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    /// <summary>Runs the installed `slmops` with only the given variables set beyond what a shell needs to find dotnet.</summary>
    public Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        ProcessRunner.RunAsync(Command, args, environment);

    private static Task<CliResult> DotnetAsync(params string[] args) => ProcessRunner.RunAsync("dotnet", args, new Dictionary<string, string>());

    private static Task RequireAsync(CliResult result, string what) =>
        result.ExitCode == 0 ? Task.CompletedTask : throw new InvalidOperationException($"{what} failed: {result}");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SlmOps.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No SlmOps.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>Starts a program, feeds it no input, and returns its exit code, stdout and stderr (killed after 3 minutes).</summary>
internal static class ProcessRunner
{
    public static async Task<CliResult> RunAsync(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The tool's launcher finds the runtime through DOTNET_ROOT (a tool-path install is not on the global PATH setup).
        start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        foreach (var name in new[] { "SLMOPS_SERVER", "SLMOPS_API_KEY", "SLMOPS_CONFIG" }) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within 3 minutes.");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
