using MassTransit;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Contracts.Commands;
using SlmOps.Contracts.Runs;
using SlmOps.Data;

namespace SlmOps.Web.Runs;

public sealed class RunDispatcher(
    IDbContextFactory<SlmOpsDbContext> contexts,
    IBus sendEndpoints,
    RunQueueTopology topology,
    IConfiguration configuration,
    ILogger<RunDispatcher> logger) : IRunDispatcher
{
    public async Task<bool> DispatchAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Status != RunStatus.Queued || run.Kind == RunKind.Sweep) return false; // a sweep is scheduled here, never sent
        if (!await ReserveAsync(db, run, cancellationToken)) return false;

        var (endpoint, queue) = await EndpointAsync(run, cancellationToken);
        var priority = RunQueues.Priority(run.Priority);
        // The worker's claim increments attempt, so the command names the attempt it will start.
        var attempt = run.Attempt + 1;
        Task send = run.Kind switch
        {
            RunKind.PrepareDataset => endpoint.Send(new PrepareDataset(run.Id, attempt, DatasetVersionOf(run.Config)),
                context => context.SetPriority(priority), cancellationToken),
            RunKind.TrainBaseModel => endpoint.Send(new TrainBaseModel(run.Id, attempt),
                context => context.SetPriority(priority), cancellationToken),
            RunKind.TrainTaskModel => endpoint.Send(new TrainTaskModel(run.Id, attempt),
                context => context.SetPriority(priority), cancellationToken),
            RunKind.Evaluate => endpoint.Send(new EvaluateModel(run.Id, attempt),
                context => context.SetPriority(priority), cancellationToken),
            _ => throw new InvalidOperationException($"Run kind {run.Kind} has no command."),
        };
        await send;
        logger.LogInformation("Dispatched run {RunId} ({Kind}) to {Queue} with priority {Priority}", run.Id, run.Kind, queue, priority);
        return true;
    }

    public async Task DispatchRankAsync(Guid runId, int attempt, int rank, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Status != RunStatus.Running || run.Attempt != attempt) return;
        var (endpoint, queue) = await EndpointAsync(run, cancellationToken);
        await endpoint.Send(new JoinGang(run.Id, attempt, rank), context => context.SetPriority(RunQueues.Priority(run.Priority)), cancellationToken);
        logger.LogInformation("Offered rank {Rank} of run {RunId} attempt {Attempt} on {Queue}", rank, run.Id, attempt, queue);
    }

    /// <summary>
    /// The run's queue (cpu or cuda per its device), reached through its exchange, declared with its priority queue as the
    /// worker declares it: a "queue:" address would declare the queue without x-max-priority, which RabbitMQ refuses
    /// (PRECONDITION_FAILED) once a worker has declared it, and a bare exchange with no queue yet would drop the command.
    /// </summary>
    private async Task<(ISendEndpoint Endpoint, string Queue)> EndpointAsync(Data.Entities.Run run, CancellationToken ct)
    {
        var queue = RunQueues.QueueName(configuration[RunQueues.PrefixKey], RunDevice.Of(run.Kind, run.Config));
        await topology.EnsureDeclaredAsync(queue, ct);
        return (await sendEndpoints.GetSendEndpoint(new Uri($"exchange:{queue}")), queue);
    }

    /// <summary>
    /// Stamps dispatched_at before sending, under the team's quota lock, so the team's runs in the workers' queues are
    /// counted at once; a run over its team's maxQueuedRuns waits instead (<see cref="TeamQuotas"/>) and nothing is sent.
    /// A send that fails leaves the stamp: the sweeper re-dispatches runs sent but never claimed.
    /// </summary>
    private async Task<bool> ReserveAsync(SlmOpsDbContext db, Data.Entities.Run run, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await TeamQuotas.QueuedLimitAsync(db, run.Id, ct) is { } reason)
        {
            await TeamQuotas.WaitAsync(db, run.Id, run.Attempt, reason, ct);
            await transaction.CommitAsync(ct);
            logger.LogInformation("Run {RunId} waits: {Reason}", run.Id, reason);
            return false;
        }
        var stamped = await db.Runs.Where(r => r.Id == run.Id && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DispatchedAt, DateTimeOffset.UtcNow), ct);
        await transaction.CommitAsync(ct);
        return stamped == 1;
    }

    private static long DatasetVersionOf(string configJson) =>
        System.Text.Json.JsonSerializer.Deserialize<PrepareDatasetSpec>(configJson, RunSpecJson.Options)?.DatasetVersionId ?? 0;
}
