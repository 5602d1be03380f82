using Hangfire;
using MassTransit;
using SlmOps.Contracts.Events;

namespace SlmOps.Web.MlflowExport;

/// <summary>
/// Enqueues an <see cref="MlflowExportJob"/> when a worker reports a run finished; a failed attempt that will be
/// retried is not final. Should Hangfire's storage be unreachable the enqueue throws and the bus redelivers the event.
/// </summary>
public sealed class RunFinishedExportConsumer(IBackgroundJobClient jobs) :
    IConsumer<RunCompleted>, IConsumer<RunFailed>, IConsumer<RunCancelled>
{
    public Task Consume(ConsumeContext<RunCompleted> context) => EnqueueAsync(context.Message.RunId);

    public Task Consume(ConsumeContext<RunFailed> context) =>
        context.Message.WillRetry ? Task.CompletedTask : EnqueueAsync(context.Message.RunId);

    public Task Consume(ConsumeContext<RunCancelled> context) => EnqueueAsync(context.Message.RunId);

    private Task EnqueueAsync(Guid runId)
    {
        jobs.Enqueue<MlflowExportJob>(job => job.ExportAsync(runId, CancellationToken.None));
        return Task.CompletedTask;
    }
}
