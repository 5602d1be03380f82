using System.Text.Json;
using SlmOps.Contracts.Workers;

namespace SlmOps.Contracts.Runs;

/// <summary>The one place a run's config (runs.config) becomes its typed spec.</summary>
public static class RunSpecs
{
    public static RunSpec Parse(RunKind kind, string configJson) => kind switch
    {
        RunKind.PrepareDataset => new RunSpec { Prepare = Read<PrepareDatasetSpec>(configJson) },
        RunKind.TrainBaseModel => new RunSpec { Pretrain = Read<PretrainSpec>(configJson) },
        RunKind.TrainTaskModel => new RunSpec { FineTune = Read<FineTuneSpec>(configJson) },
        RunKind.Evaluate => new RunSpec { Evaluate = Read<EvaluateSpec>(configJson) },
        _ => throw new NotSupportedException($"Run kind {kind} has no spec."),
    };

    private static T Read<T>(string json) where T : class =>
        JsonSerializer.Deserialize<T>(json, RunSpecJson.Options) ?? throw new JsonException($"The run's config is not a {typeof(T).Name}.");
}
