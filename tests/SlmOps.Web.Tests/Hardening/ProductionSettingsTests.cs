namespace SlmOps.Web.Tests.Hardening;

/// <summary>
/// Issue 17: outside Development the built hosts and the web host's commands refuse to start without their connection
/// settings, naming each one, instead of connecting with the development credentials. Real processes, this test's
/// environment minus every connection setting.
/// </summary>
public sealed class ProductionSettingsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private static readonly string[] BrokerKeys = ["RabbitMq:Host", "RabbitMq:VirtualHost", "RabbitMq:Username", "RabbitMq:Password"];

    [Fact]
    public async Task The_web_host_exits_1_naming_the_broker_database_and_artifact_settings()
    {
        var (exit, output) = await HostExecutables.RunToExitAsync(HostExecutables.WebDll, ["--urls", $"http://127.0.0.1:{TestStack.FreePort()}"], Production(), Deadline);

        Assert.Equal(1, exit);
        Assert.Contains("SlmOps.Web does not start: the environment is 'Production'", output);
        foreach (var key in BrokerKeys.Append("ConnectionStrings:Postgres").Append("Artifacts:Root"))
            Assert.Contains($"  {key} (", output);
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Development", output);
        Assert.DoesNotContain("Now listening", output);
    }

    [Fact]
    public async Task The_worker_exits_1_naming_only_what_is_missing()
    {
        var environment = Production();
        environment["RabbitMq__Host"] = TestStack.RabbitMqHost;
        environment["RabbitMq__VirtualHost"] = TestStack.RabbitMqVirtualHost;
        environment["RabbitMq__Username"] = TestStack.RabbitMqUsername;

        var (exit, output) = await HostExecutables.RunToExitAsync(HostExecutables.WorkerDll, ["--urls", $"http://127.0.0.1:{TestStack.FreePort()}"], environment, Deadline);

        Assert.Equal(1, exit);
        Assert.Contains("SlmOps.Worker does not start: the environment is 'Production' and this setting is not set:", output);
        Assert.Contains("  RabbitMq:Password (", output);
        Assert.Contains("RabbitMq__Password", output);
        Assert.DoesNotContain("  RabbitMq:Host (", output);
        Assert.DoesNotContain("Bus started", output);
    }

    [Theory]
    [InlineData("migrate")]
    [InlineData("create-admin-key")]
    [InlineData("create-worker-key")]
    public async Task A_command_exits_1_naming_the_database_setting(string command)
    {
        var (exit, output) = await HostExecutables.RunToExitAsync(HostExecutables.WebDll, [command], Production(), Deadline);

        Assert.Equal(1, exit);
        Assert.Contains("  ConnectionStrings:Postgres (", output);
        Assert.Contains("ConnectionStrings__Postgres", output);
        Assert.DoesNotContain("RabbitMq", output); // a command needs the database only
    }

    /// <summary>This process's environment in Production with no connection setting at all.</summary>
    private static Dictionary<string, string?> Production()
    {
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = null,
            ["ConnectionStrings__Postgres"] = null,
            ["Artifacts__Root"] = null,
        };
        foreach (var key in BrokerKeys.Append("RabbitMq:Port")) environment[key.Replace(":", "__")] = null;
        return environment;
    }
}
