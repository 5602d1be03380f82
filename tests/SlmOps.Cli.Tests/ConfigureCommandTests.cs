using System.Text.Json;
using SlmOps.Cli.Tests.Server;

namespace SlmOps.Cli.Tests;

public sealed class ConfigureCommandTests(CliServerHost server) : IClassFixture<CliServerHost>
{
    private static Dictionary<string, string> OnlyConfigFile(out string path)
    {
        path = Path.Combine(Directory.CreateTempSubdirectory("slmops-cli-config-").FullName, "nested", "config.json");
        return new Dictionary<string, string> { ["SLMOPS_CONFIG"] = path };
    }

    [Fact]
    public async Task Configure_saves_server_and_key_owner_only_and_later_commands_use_them()
    {
        var env = OnlyConfigFile(out var path);

        var saved = await ClientHarness.RunAsync(env, "configure", "--server", server.Url, "--key", server.AdminKey);

        Assert.True(saved.ExitCode == 0, saved.ToString());
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using (var file = JsonDocument.Parse(File.ReadAllText(path)))
        {
            Assert.Equal(server.Url, file.RootElement.GetProperty("server").GetString());
            Assert.Equal(server.AdminKey, file.RootElement.GetProperty("apiKey").GetString());
        }
        var list = await ClientHarness.RunAsync(env, "datasets", "list", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(list.Stdout).RootElement.ValueKind);
    }

    [Fact]
    public async Task Show_masks_the_key_and_names_where_each_setting_comes_from()
    {
        var env = OnlyConfigFile(out var path);
        await ClientHarness.RunAsync(env, "configure", "--server", "http://file-server:5000", "--key", server.AdminKey);
        env["SLMOPS_SERVER"] = "http://env-server:6000";

        var shown = await ClientHarness.RunAsync(env, "configure", "show", "--json");

        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.DoesNotContain(server.AdminKey, shown.Stdout);
        var root = JsonDocument.Parse(shown.Stdout).RootElement;
        Assert.Equal("http://env-server:6000", root.GetProperty("server").GetString());
        Assert.Equal("SLMOPS_SERVER", root.GetProperty("serverSource").GetString());
        Assert.Equal($"slm_{server.AdminKey.Split('_')[1]}_****", root.GetProperty("apiKey").GetString());
        Assert.Equal(path, root.GetProperty("apiKeySource").GetString());

        var table = await ClientHarness.RunAsync(env, "configure", "show");
        Assert.DoesNotContain(server.AdminKey, table.Stdout);
        Assert.Contains("slm_", table.Stdout);
    }

    [Fact]
    public async Task The_server_option_wins_over_the_environment_and_the_config_file()
    {
        var env = server.Environment();
        env["SLMOPS_SERVER"] = "http://127.0.0.1:9/"; // discard port: nothing answers there

        var result = await ClientHarness.RunAsync(env, "datasets", "list", "--server", server.Url, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task No_server_anywhere_is_a_usage_error_that_says_how_to_configure()
    {
        var result = await ClientHarness.RunAsync(OnlyConfigFile(out _), "datasets", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("slmops configure --server URL", result.Stderr);
    }

    [Fact]
    public async Task Configure_refuses_a_server_that_is_not_an_http_url()
    {
        var result = await ClientHarness.RunAsync(OnlyConfigFile(out var path), "configure", "--server", "localhost:5000");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a server URL", result.Stderr);
        Assert.False(File.Exists(path));
    }
}
