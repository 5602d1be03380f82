using SlmOps.Contracts;
using SlmOps.Worker.Runs.Handlers;

namespace SlmOps.Worker.Runs;

/// <summary>Which handler executes which kind of run.</summary>
public sealed class RunHandlers
{
    private readonly Dictionary<RunKind, IRunHandler> _handlers = new()
    {
        [RunKind.PrepareDataset] = new PrepareHandler(),
        [RunKind.TrainBaseModel] = new PretrainHandler(),
        [RunKind.TrainTaskModel] = new FineTuneHandler(),
        [RunKind.Evaluate] = new EvaluateHandler(),
    };

    public RunOutput? Execute(RunContext context) => _handlers.TryGetValue(context.Assignment.Kind, out var handler)
        ? handler.Execute(context)
        : throw new NotSupportedException($"This worker does not execute {context.Assignment.Kind} runs.");
}
