using Hangfire;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Contracts.Events;
using SlmOps.Web.MlflowExport;
using SlmOps.Web.Tests.Sweeper;

namespace SlmOps.Web.Tests.Mlflow;

/// <summary>
/// With Mlflow:TrackingUri set, the web host exports a run (a Hangfire job per event) when a worker publishes that it
/// completed; the event delivered twice still makes one MLflow run.
/// </summary>
public sealed class MlflowExportHookTests
{
    [Fact]
    public async Task A_published_RunCompleted_is_exported_through_the_web_hosts_bus()
    {
        await using var database = await TestDatabase.CreateMigratedAsync("mlflowhook");
        await using var mlflow = await FakeMlflowServer.StartAsync();
        var id = await RunSweeperTests.InsertRunAsync(database, "Succeeded", attempt: 1, finishedAgo: "1 second");
        await using var host = new ExportingHost(database.ConnectionString, mlflow.Uri);
        var bus = host.Services.GetRequiredService<IBus>();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));

        await bus.Publish(new RunCompleted(id, DateTimeOffset.UtcNow, new Dictionary<string, string>()));
        await bus.Publish(new RunCompleted(id, DateTimeOffset.UtcNow, new Dictionary<string, string>())); // redelivered

        var monitoring = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && SucceededExports(monitoring) < 2) await Task.Delay(200);
        Assert.Equal(2, SucceededExports(monitoring));
        var run = Assert.Single(mlflow.Runs.Values);
        Assert.Equal("FINISHED", run.Status);
        Assert.Equal(id.ToString(), run.Tags["slmops.run_id"]);
        Assert.Equal(run.RunId, await database.ScalarAsync<string>("SELECT mlflow_run_id FROM runs WHERE id = $1", id));
        Assert.Empty(mlflow.Violations);
    }

    private static int SucceededExports(Hangfire.Storage.IMonitoringApi monitoring) =>
        monitoring.SucceededJobs(0, 100).Count(job => job.Value.Job?.Type == typeof(MlflowExportJob));

    private sealed class ExportingHost(string postgres, string trackingUri) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Postgres", postgres);
            builder.UseSetting("RabbitMq:Host", TestStack.RabbitMqHost);
            builder.UseSetting("RabbitMq:Port", TestStack.RabbitMqPort);
            builder.UseSetting("RabbitMq:VirtualHost", TestStack.RabbitMqVirtualHost);
            builder.UseSetting("RabbitMq:Username", TestStack.RabbitMqUsername);
            builder.UseSetting("RabbitMq:Password", TestStack.RabbitMqPassword);
            builder.UseSetting("Mlflow:TrackingUri", trackingUri);
            builder.UseSetting("Sweeper:Enabled", "false");
        }
    }
}
