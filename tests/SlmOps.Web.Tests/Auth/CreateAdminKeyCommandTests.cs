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
        await using var database = await MigratedDatabase.CreateAsync("adminkey");

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
        var (exit, stdout, stderr) = await RunAsync(TestStack.PostgresAt(TestStack.ClosedPort()), "--if-none");
        Assert.Equal((1, ""), (exit, stdout));
        Assert.Contains("Could not create an admin key", stderr);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string connectionString, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CreateAdminKeyCommand.RunAsync([.. args, "--ConnectionStrings:Postgres", connectionString], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
