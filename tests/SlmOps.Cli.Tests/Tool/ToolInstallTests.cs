using System.Text.Json;
using SlmOps.Cli.Tests.Server;

namespace SlmOps.Cli.Tests.Tool;

/// <summary>
/// Issue 12: the CLI as a .NET tool. The packed SlmOps.Cli installs into a temporary tool path, `slmops` runs from
/// there against a real server, and the package carries no libtorch (neither the native shim nor the managed binding).
/// </summary>
public sealed class ToolInstallTests(PackedTool tool, CliServerHost server) : IClassFixture<PackedTool>, IClassFixture<CliServerHost>
{
    [Fact]
    public void The_package_is_a_dotnet_tool_named_slmops_without_the_native_libtorch_shim()
    {
        var entries = tool.PackageEntries();

        Assert.Contains(entries, e => e.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EndsWith("/slmops.dll", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains("libslmops_torch", StringComparison.Ordinal) || e.EndsWith(".so", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.EndsWith("/SlmOps.Torch.dll", StringComparison.Ordinal) || e.EndsWith("/SlmOps.Modeling.dll", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(tool.ToolPath, "*.so", SearchOption.AllDirectories));
        Assert.True(File.Exists(tool.Command), $"no {tool.Command}");
    }

    [Fact]
    public async Task Slmops_help_lists_the_client_commands()
    {
        var help = await tool.RunAsync(new Dictionary<string, string>(), "--help");

        Assert.True(help.ExitCode == 0, help.ToString());
        foreach (var command in new[] { "configure", "datasets", "runs", "generate", "promote" }) Assert.Contains(command, help.Stdout);
        Assert.Contains("slmops-local", help.Stdout);
    }

    [Fact]
    public async Task Slmops_runs_list_json_answers_from_the_server()
    {
        var id = Guid.NewGuid();
        await server.ExecuteAsync("INSERT INTO runs (id, kind, status, name, config, created_by) VALUES ($1, 'PrepareDataset', 'Queued', 'from-the-tool', '{}'::jsonb, 'tests')", id);

        var list = await tool.RunAsync(server.Environment(), "runs", "list", "--name", "from-the-tool", "--json");

        Assert.True(list.ExitCode == 0, list.ToString());
        var page = JsonDocument.Parse(list.Stdout).RootElement;
        Assert.Equal(id, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(1, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_wrong_key_exits_3_from_the_installed_tool_too()
    {
        var denied = await tool.RunAsync(server.Environment(CliServerHost.NewKey()), "runs", "list", "--json");

        Assert.Equal(3, denied.ExitCode);
        Assert.Equal("", denied.Stdout);
    }
}
