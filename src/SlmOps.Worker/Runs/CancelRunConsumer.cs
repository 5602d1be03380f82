using MassTransit;
using SlmOps.Contracts.Commands;

namespace SlmOps.Worker.Runs;

/// <summary>
/// Every worker receives every CancelRun on a queue of its own (published, not sent); the one executing the run
/// signals its token so training stops at the next step boundary, the others ignore it.
/// </summary>
public sealed class CancelRunConsumer(RunCancellations cancellations, ILogger<CancelRunConsumer> logger) : IConsumer<CancelRun>
{
    public Task Consume(ConsumeContext<CancelRun> context)
    {
        if (cancellations.TryCancel(context.Message.RunId))
            logger.LogInformation("Run {RunId} cancellation signalled by a CancelRun message from {RequestedBy}", context.Message.RunId, context.Message.RequestedBy);
        return Task.CompletedTask;
    }
}
