using MassTransit;
using SlmOps.Contracts.Events;

namespace SlmOps.Web.MlflowExport;

/// <summary>Exports a run to the tracker when a worker reports it finished. A failed attempt that will be retried is not final.</summary>
public sealed class RunFinishedExportConsumer(IRunExporter exporter) :
    IConsumer<RunCompleted>, IConsumer<RunFailed>, IConsumer<RunCancelled>
{
    public Task Consume(ConsumeContext<RunCompleted> context) => exporter.ExportAsync(context.Message.RunId, context.CancellationToken);

    public Task Consume(ConsumeContext<RunFailed> context) =>
        context.Message.WillRetry ? Task.CompletedTask : exporter.ExportAsync(context.Message.RunId, context.CancellationToken);

    public Task Consume(ConsumeContext<RunCancelled> context) => exporter.ExportAsync(context.Message.RunId, context.CancellationToken);
}
