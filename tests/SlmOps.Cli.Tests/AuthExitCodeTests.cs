using System.Security.Cryptography;
using System.Text;
using SlmOps.Cli.Tests.Server;

namespace SlmOps.Cli.Tests;

public sealed class AuthExitCodeTests(CliServerHost server) : IClassFixture<CliServerHost>
{
    [Fact]
    public async Task A_key_the_server_does_not_know_exits_3_and_says_to_check_the_key()
    {
        var result = await ClientHarness.RunAsync(server.Environment(CliServerHost.NewKey()), "datasets", "list");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("401", result.Stderr);
        Assert.Contains("Check the API key", result.Stderr);
    }

    [Fact]
    public async Task No_key_at_all_exits_3()
    {
        var env = server.Environment();
        env.Remove("SLMOPS_API_KEY");

        var result = await ClientHarness.RunAsync(env, "runs", "list");

        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public async Task A_viewer_key_may_read_but_submitting_exits_3_with_a_role_hint()
    {
        var viewer = CliServerHost.NewKey();
        await server.ExecuteAsync(
            "INSERT INTO api_keys (name, prefix, key_hash, role, created_by) VALUES ('cli-viewer', $1, $2, 'viewer', 'tests')",
            viewer.Split('_')[1], Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(viewer))));

        var read = await ClientHarness.RunAsync(server.Environment(viewer), "runs", "list", "--json");
        var write = await ClientHarness.RunAsync(server.Environment(viewer), "runs", "submit", "prepare", "--set", "datasetVersionId=1");

        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal(3, write.ExitCode);
        Assert.Contains("403", write.Stderr);
        Assert.Contains("role", write.Stderr);
    }
}
