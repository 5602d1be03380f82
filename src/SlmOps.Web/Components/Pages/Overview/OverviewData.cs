using SlmOps.Contracts;
using SlmOps.Data;
using SlmOps.Web.Apis;
using SlmOps.Web.Components.Shared;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Components.Pages.Overview;

/// <summary>What the overview page reads: the workers online and the running runs (PostgreSQL), the queues (RabbitMQ).</summary>
public interface IOverviewData
{
    Task<(IReadOnlyList<WorkerDto> Workers, IReadOnlyList<RunDto> Running)> LoadAsync();

    Task<IReadOnlyList<QueueDepth>> ReadQueuesAsync();
}

public sealed class OverviewData(DashboardScope scope, QueueDepths queues) : IOverviewData
{
    public Task<(IReadOnlyList<WorkerDto> Workers, IReadOnlyList<RunDto> Running)> LoadAsync() => scope.RunAsync(async services =>
    {
        var db = services.GetRequiredService<SlmOpsDbContext>();
        var workers = await WorkersApi.ListWorkers(db, services.GetRequiredService<IConfiguration>(), CancellationToken.None);
        var running = await services.GetRequiredService<RunQueries>().ListAsync(new RunFilter(RunStatus.Running), pageSize: 50);
        return (workers.Value!, running.Items);
    });

    public Task<IReadOnlyList<QueueDepth>> ReadQueuesAsync() => queues.ReadAsync(CancellationToken.None);
}
