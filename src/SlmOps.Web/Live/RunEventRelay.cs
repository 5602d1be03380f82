using MassTransit;
using SlmOps.Contracts.Events;

namespace SlmOps.Web.Live;

/// <summary>Hands every run event a worker publishes to this instance's <see cref="RunEventHub"/>.</summary>
public sealed class RunEventRelay(RunEventHub hub) :
    IConsumer<RunStarted>, IConsumer<RunProgressed>, IConsumer<RunCompleted>, IConsumer<RunFailed>, IConsumer<RunCancelled>
{
    public Task Consume(ConsumeContext<RunStarted> context) => hub.PublishAsync(context.Message);

    public Task Consume(ConsumeContext<RunProgressed> context) => hub.PublishAsync(context.Message);

    public Task Consume(ConsumeContext<RunCompleted> context) => hub.PublishAsync(context.Message);

    public Task Consume(ConsumeContext<RunFailed> context) => hub.PublishAsync(context.Message);

    public Task Consume(ConsumeContext<RunCancelled> context) => hub.PublishAsync(context.Message);
}
