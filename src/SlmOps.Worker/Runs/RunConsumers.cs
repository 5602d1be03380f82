using MassTransit;
using SlmOps.Contracts.Commands;

namespace SlmOps.Worker.Runs;

public sealed class PrepareDatasetConsumer(RunExecutor executor) : IConsumer<PrepareDataset>
{
    public Task Consume(ConsumeContext<PrepareDataset> context) => executor.ExecuteAsync(context.Message.RunId, context.Message.Attempt, context.CancellationToken);
}

public sealed class TrainBaseModelConsumer(RunExecutor executor) : IConsumer<TrainBaseModel>
{
    public Task Consume(ConsumeContext<TrainBaseModel> context) => executor.ExecuteAsync(context.Message.RunId, context.Message.Attempt, context.CancellationToken);
}

public sealed class TrainTaskModelConsumer(RunExecutor executor) : IConsumer<TrainTaskModel>
{
    public Task Consume(ConsumeContext<TrainTaskModel> context) => executor.ExecuteAsync(context.Message.RunId, context.Message.Attempt, context.CancellationToken);
}

public sealed class EvaluateModelConsumer(RunExecutor executor) : IConsumer<EvaluateModel>
{
    public Task Consume(ConsumeContext<EvaluateModel> context) => executor.ExecuteAsync(context.Message.RunId, context.Message.Attempt, context.CancellationToken);
}

/// <summary>A rank of a gang-scheduled data-parallel run offered to this worker.</summary>
public sealed class JoinGangConsumer(RunExecutor executor) : IConsumer<JoinGang>
{
    public Task Consume(ConsumeContext<JoinGang> context) =>
        executor.ExecuteAsync(context.Message.RunId, context.Message.Attempt, context.CancellationToken, context.Message.Rank);
}
