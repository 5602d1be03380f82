using System.Text.Json;
using SlmOps.Cli.Tests.Server;

namespace SlmOps.Cli.Tests;

public sealed class RegistryCommandTests(CliServerHost server) : IClassFixture<CliServerHost>
{
    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement;
    }

    [Fact]
    public async Task Models_list_shows_base_and_task_models_and_versions_shows_val_loss()
    {
        var task = await RegistrySeed.TaskAsync(server, "cli-sentiment", 2.5, 2.25);

        var models = Json(await server.RunAsync("models", "list", "--json"));
        Assert.Contains(models.GetProperty("baseModels").EnumerateArray(), b => b.GetProperty("name").GetString() == "cli-llm");
        var listed = models.GetProperty("taskModels").EnumerateArray().Single(t => t.GetProperty("name").GetString() == task);
        Assert.Equal(2, listed.GetProperty("versionCount").GetInt32());

        var versions = Json(await server.RunAsync("versions", task, "--json"));
        Assert.Equal([2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));

        var table = await server.RunAsync("versions", task);
        Assert.Contains("2.25", table.Stdout);
        Assert.Contains("cli-llm@1", table.Stdout);
        var modelsTable = await server.RunAsync("models", "list");
        Assert.Contains(task, modelsTable.Stdout);
    }

    [Fact]
    public async Task Promote_moves_an_alias_and_rollback_moves_it_back()
    {
        var task = await RegistrySeed.TaskAsync(server, "cli-staging", 3.0, 2.0);

        Assert.Equal(1, Json(await server.RunAsync("promote", task, "staging", "1", "--json")).GetProperty("version").GetInt32());
        var promoted = await server.RunAsync("promote", task, "staging", "2", "--reason", "better loss");
        Assert.True(promoted.ExitCode == 0, promoted.ToString());
        Assert.Contains($"{task}@staging → version 2", promoted.Stdout);

        var aliases = Json(await server.RunAsync("aliases", task, "--json"));
        Assert.Equal(2, aliases.EnumerateArray().Single(a => a.GetProperty("name").GetString() == "staging").GetProperty("version").GetInt32());

        var rolledBack = Json(await server.RunAsync("rollback", task, "staging", "--reason", "regression", "--json"));
        Assert.Equal(1, rolledBack.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task The_production_gate_refusal_exits_5_with_its_reason_and_force_needs_a_reason()
    {
        var task = await RegistrySeed.TaskAsync(server, "cli-gated", 2.0, 3.0);
        Assert.Equal(0, (await server.RunAsync("promote", task, "production", "1")).ExitCode);

        var refused = await server.RunAsync("promote", task, "production", "2");
        Assert.Equal(5, refused.ExitCode);
        Assert.Contains("409", refused.Stderr);

        var noReason = await server.RunAsync("promote", task, "production", "2", "--force");
        Assert.Equal(2, noReason.ExitCode);
        Assert.Contains("--reason", noReason.Stderr);

        var forced = await server.RunAsync("promote", task, "production", "2", "--force", "--reason", "hotfix for a bad tokenizer", "--json");
        Assert.Equal(2, Json(forced).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Registry_commands_on_an_unknown_task_exit_4()
    {
        Assert.Equal(4, (await server.RunAsync("versions", "no-such-task")).ExitCode);
        Assert.Equal(4, (await server.RunAsync("promote", "no-such-task", "staging", "1")).ExitCode);
    }

    [Fact]
    public async Task Generate_reports_the_servers_refusals_with_their_exit_codes()
    {
        var unknown = await server.RunAsync("generate", "no-such-task@production", "hello");
        Assert.Equal(4, unknown.ExitCode);
        Assert.Contains("no-such-task", unknown.Stderr);

        var invalid = await server.RunAsync("generate", "cli-anything", "hello", "--temperature", "-1");
        Assert.Equal(5, invalid.ExitCode);
        Assert.Contains("temperature must be 0", invalid.Stderr);

        var malformed = await server.RunAsync("generate", "task@", "hello");
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("nothing after '@'", malformed.Stderr);
    }
}
