using SlmOps.Web.Apis;
using SlmOps.Web.Components.Pages.Overview;
using SlmOps.Web.Runs;
using SlmOps.Web.Teams;

namespace SlmOps.Web.ComponentTests.Fakes;

/// <summary>The overview's data without PostgreSQL or RabbitMQ.</summary>
public sealed class FakeOverviewData : IOverviewData
{
    public List<WorkerDto> Workers { get; } = [];
    public List<QueueDepth> Queues { get; } = [];

    public static WorkerDto Worker(string name) =>
        new(name, "cpu", 1, null, null, "1.0.0", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow, Online: true);

    public Task<(IReadOnlyList<WorkerDto> Workers, IReadOnlyList<RunDto> Running)> LoadAsync(TeamCaller caller, string? team) =>
        Task.FromResult<(IReadOnlyList<WorkerDto>, IReadOnlyList<RunDto>)>((Workers, []));

    public Task<IReadOnlyList<QueueDepth>> ReadQueuesAsync() => Task.FromResult<IReadOnlyList<QueueDepth>>(Queues);
}
