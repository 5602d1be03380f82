using System.Net;
using SlmOps.Web.Auth;
using SlmOps.Web.Tests.Apis;
using SlmOps.Web.Tests.Sweeper;

namespace SlmOps.Web.Tests.Auth;

public sealed class CreateAdminKeyCommandTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Prints_a_new_admin_key_alone_on_stdout_and_the_key_manages_keys_as_the_given_name()
    {
        var (exit, stdout, stderr) = await RunAsync(host.ConnectionString, "--name", "ops-admin");

        Assert.Equal(0, exit);
        var key = stdout.Trim();
        Assert.Matches("^slm_[a-z0-9]{8}_[A-Za-z0-9]{32,}$", key);
        Assert.Contains("store it now", stderr);
        using var client = TestKeys.WithKey(host.CreateAnonymousClient(), key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/api-keys")).StatusCode);
        Assert.Equal("ops-admin|admin", await host.ScalarAsync<string>("SELECT name || '|' || role FROM api_keys WHERE prefix = $1", key[4..12]));
        Assert.Equal("create-admin-key", await host.ScalarAsync<string>(
            "SELECT actor FROM audit_log WHERE action = 'api_key.create' AND entity_id = $1", key[4..12]));
    }

    [Fact]
    public async Task With_if_none_it_creates_the_first_admin_key_once_and_then_does_nothing()
    {
        await using var database = await TestDatabase.CreateMigratedAsync("adminkey");

        var first = await RunAsync(database.ConnectionString, "--if-none");
        var second = await RunAsync(database.ConnectionString, "--if-none");

        Assert.Equal(0, first.Exit);
        Assert.StartsWith("slm_", first.Stdout.Trim());
        Assert.Equal((0, ""), (second.Exit, second.Stdout));
        Assert.Contains("already exists", second.Stderr);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE role = 'admin'"));
        Assert.Equal(CreateAdminKeyCommand.DefaultKeyName, await database.ScalarAsync<string>("SELECT name FROM api_keys"));
    }

    [Fact]
    public async Task Fails_with_a_reason_when_the_database_is_unreachable()
    {
        var (exit, stdout, stderr) = await RunAsync(TestStack.PostgresAt(TestStack.FreePort()), "--if-none");
        Assert.Equal((1, ""), (exit, stdout));
        Assert.Contains("Could not create an admin key", stderr);
    }

    [Fact]
    public async Task Create_worker_key_prints_a_worker_key_that_authenticates_for_the_artifact_service_only()
    {
        var (exit, stdout, stderr) = await RunAsync(CreateWorkerKeyCommand.RunAsync, host.ConnectionString, "--name", "gpu-box-7");

        Assert.Equal(0, exit);
        var key = stdout.Trim();
        Assert.Matches("^slm_[a-z0-9]{8}_[A-Za-z0-9]{32,}$", key);
        Assert.Contains("Created worker key 'gpu-box-7'", stderr);
        Assert.Equal("gpu-box-7|worker", await host.ScalarAsync<string>("SELECT name || '|' || role FROM api_keys WHERE prefix = $1", key[4..12]));
        Assert.Equal("create-worker-key", await host.ScalarAsync<string>(
            "SELECT actor FROM audit_log WHERE action = 'api_key.create' AND entity_id = $1", key[4..12]));
        using var client = TestKeys.WithKey(host.CreateAnonymousClient(), key);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/artifacts/{new string('0', 64)}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/runs")).StatusCode);
    }

    [Fact]
    public async Task Create_worker_key_names_its_key_worker_by_default_and_has_no_if_none()
    {
        var (exit, stdout, _) = await RunAsync(CreateWorkerKeyCommand.RunAsync, host.ConnectionString);
        var refused = await RunAsync(CreateWorkerKeyCommand.RunAsync, host.ConnectionString, "--if-none");

        Assert.Equal(0, exit);
        Assert.Equal(CreateWorkerKeyCommand.DefaultKeyName, await host.ScalarAsync<string>("SELECT name FROM api_keys WHERE prefix = $1", stdout.Trim()[4..12]));
        Assert.Equal((1, ""), (refused.Exit, refused.Stdout));
        Assert.Contains("no --if-none option", refused.Stderr);
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(string connectionString, params string[] args) =>
        RunAsync(CreateAdminKeyCommand.RunAsync, connectionString, args);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(
        Func<string[], TextWriter, TextWriter, Task<int>> command, string connectionString, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await command([.. args, "--ConnectionStrings:Postgres", connectionString], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
