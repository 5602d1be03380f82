using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Web.Runs;
using SlmOps.Web.Sweeper;

namespace SlmOps.Web.Tests.Sweeper;

/// <summary>The real web host runs the sweep as a recurring Hangfire job, which re-queues a run whose worker was lost.</summary>
public sealed class WebHostSweepTests
{
    [Fact]
    public async Task The_web_host_sweeps_on_its_interval()
    {
        await using var database = await TestDatabase.CreateMigratedAsync("websweep");
        var dispatcher = new RecordingDispatcher(database);
        var lost = await RunSweeperTests.InsertRunAsync(database, "Running", attempt: 1, heartbeatAgo: "10 minutes", worker: "gone");
        await using var factory = new SweepingHost(database.ConnectionString, dispatcher);
        _ = factory.Services; // starts the host

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !dispatcher.Calls.Contains(lost)) await Task.Delay(200);

        Assert.Contains(lost, dispatcher.Calls);
        Assert.Equal("Queued", await database.ScalarAsync<string>("SELECT status FROM runs WHERE id = $1", lost));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = $1",
            SweepRunsJob.Id));
    }

    private sealed class SweepingHost(string postgres, IRunDispatcher dispatcher) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Postgres", postgres);
            builder.UseSetting("RabbitMq:Host", TestStack.RabbitMqHost);
            builder.UseSetting("RabbitMq:Port", TestStack.RabbitMqPort);
            builder.UseSetting("RabbitMq:VirtualHost", TestStack.RabbitMqVirtualHost);
            builder.UseSetting("RabbitMq:Username", TestStack.RabbitMqUsername);
            builder.UseSetting("RabbitMq:Password", TestStack.RabbitMqPassword);
            builder.UseSetting("Sweeper:Interval", "00:00:01");
            builder.UseSetting("Hangfire:SchedulePollingInterval", "00:00:00.2");
            builder.UseSetting("Logging:LogLevel:MassTransit", "Warning");
            builder.ConfigureTestServices(services => services.AddSingleton(dispatcher));
        }
    }
}
