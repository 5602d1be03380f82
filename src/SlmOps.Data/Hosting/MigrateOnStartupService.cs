using Microsoft.Extensions.Hosting;
using SlmOps.Data.Migrations;

namespace SlmOps.Data.Hosting;

/// <summary>
/// Applies migrations in StartAsync, which the host awaits before starting the hosted services registered after it:
/// register the data services first so consumers and schedulers never see an old schema. A failure stops the host.
/// </summary>
internal sealed class MigrateOnStartupService(MigrationRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runner.ApplyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
