using SlmOps.Contracts;
using SlmOps.Data;
using SlmOps.Web.Apis;
using SlmOps.Web.Components.Shared;
using SlmOps.Web.Runs;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Components.Pages.Overview;

/// <summary>What the overview page reads: the workers online and the running runs (PostgreSQL), the queues (RabbitMQ).</summary>
public interface IOverviewData
{
    /// <summary>The workers, and the running runs <paramref name="caller"/> sees (of <paramref name="team"/> when given).</summary>
    Task<(IReadOnlyList<WorkerDto> Workers, IReadOnlyList<RunDto> Running)> LoadAsync(TeamCaller caller, string? team);

    Task<IReadOnlyList<QueueDepth>> ReadQueuesAsync();
}

public sealed class OverviewData(DashboardScope scope, QueueDepths queues) : IOverviewData
{
    public Task<(IReadOnlyList<WorkerDto> Workers, IReadOnlyList<RunDto> Running)> LoadAsync(TeamCaller caller, string? team) => scope.RunAsync(async services =>
    {
        var workers = await WorkersApi.ReadAsync(services.GetRequiredService<SlmOpsDbContext>(), services.GetRequiredService<TeamAccess>(), caller,
            services.GetRequiredService<IConfiguration>(), includeOffline: false, CancellationToken.None);
        var running = await services.GetRequiredService<RunQueries>().ListAsync(caller, new RunFilter(RunStatus.Running, Team: team), pageSize: 50);
        return (workers, running.Items);
    });

    public Task<IReadOnlyList<QueueDepth>> ReadQueuesAsync() => queues.ReadAsync(CancellationToken.None);
}
