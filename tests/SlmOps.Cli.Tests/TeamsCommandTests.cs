using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SlmOps.Cli.Tests.Server;

namespace SlmOps.Cli.Tests;

/// <summary>`slmops teams ...` against a running server: an admin makes a team and moves a key into it; the team's
/// editor shares a dataset; the other team reads it and is refused (exit 3) when it tries to change it.</summary>
public sealed class TeamsCommandTests(CliServerHost server) : IClassFixture<CliServerHost>
{
    [Fact]
    public async Task An_admin_creates_a_team_moves_a_key_into_it_and_the_team_shares_a_dataset_read_only()
    {
        var created = await server.RunAsync("teams", "create", "cli-vision", "--description", "captions", "--max-running", "2", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(2, JsonDocument.Parse(created.Stdout).RootElement.GetProperty("maxRunningRuns").GetInt32());
        Assert.Equal(5, (await server.RunAsync("teams", "create", "cli-vision")).ExitCode); // a duplicate is refused

        var editor = await KeyAsync("cli-vision-editor", "editor");
        var moved = await server.RunAsync("teams", "add-key", "cli-vision", editor.Split('_')[1]);
        Assert.True(moved.ExitCode == 0, moved.ToString());
        Assert.Equal(4, (await server.RunAsync("teams", "add-key", "no-such-team", editor.Split('_')[1])).ExitCode);

        await server.ExecuteAsync("INSERT INTO datasets (name, created_by, team) VALUES ('cli-vision-captions', 'tests', 'cli-vision')");
        var viewer = await KeyAsync("cli-default-viewer", "viewer"); // team 'default'
        var hidden = await ClientHarness.RunAsync(server.Environment(viewer), "datasets", "versions", "cli-vision-captions");
        Assert.Equal(4, hidden.ExitCode);

        var shared = await ClientHarness.RunAsync(server.Environment(editor), "teams", "share", "dataset", "cli-vision-captions", "default");
        Assert.True(shared.ExitCode == 0, shared.ToString());
        Assert.Equal(0, (await ClientHarness.RunAsync(server.Environment(viewer), "datasets", "versions", "cli-vision-captions")).ExitCode);
        var defaultEditor = await KeyAsync("cli-default-editor", "editor");
        var refused = await ClientHarness.RunAsync(server.Environment(defaultEditor), "teams", "share", "dataset", "cli-vision-captions", "cli-vision");
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("belongs to team 'cli-vision'", refused.Stderr);

        var list = await server.RunAsync("teams", "list");
        Assert.Contains("cli-vision", list.Stdout);
        Assert.Contains("default", list.Stdout);
        var show = await server.RunAsync("teams", "show", "cli-vision");
        Assert.Contains("owns 1 datasets", show.Stdout);
        Assert.Contains("cli-vision-editor", show.Stdout);
        Assert.Equal(5, (await server.RunAsync("teams", "delete", "cli-vision")).ExitCode); // it owns a dataset and a key
    }

    private async Task<string> KeyAsync(string name, string role)
    {
        var key = CliServerHost.NewKey();
        await server.ExecuteAsync("INSERT INTO api_keys (name, prefix, key_hash, role, created_by) VALUES ($1, $2, $3, $4, 'tests')",
            name, key.Split('_')[1], Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), role);
        return key;
    }
}
