using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SlmOps.Web.BackgroundJobs;
using SlmOps.Web.Runs;
using SlmOps.Web.Sweeper;

namespace SlmOps.Web.Tests.BackgroundJobs;

/// <summary>
/// A Hangfire server with only the sweeper's jobs on a database, as one web instance runs them: the sweep every second,
/// its dispatches going to <c>dispatcher</c>. Extra settings replace the defaults of the same key.
/// </summary>
internal static class SweeperNode
{
    public static async Task<IHost> StartAsync(string connectionString, IRunDispatcher dispatcher, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Hangfire:SchedulePollingInterval"] = "00:00:00.2",
            ["Sweeper:Interval"] = "00:00:01",
        };
        foreach (var (key, value) in settings) configuration[key] = value;
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddBackgroundJobs(builder.Configuration);
        builder.Services.AddSweeper(builder.Configuration);
        builder.Services.AddSingleton(dispatcher);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
