using System.Text.Json;

namespace SlmOps.Contracts.Sweeps;

/// <summary>
/// The config of a Sweep run: a base spec of the trials' kind plus a search space over its fields. All-list spaces are a
/// grid (every combination, in order); a space with a range is a random search of <see cref="Budget"/> trials. Seeded:
/// the same spec always yields the same trials.
/// </summary>
public sealed record SweepSpec
{
    /// <summary>What each trial is: "finetune" (default) or "pretrain".</summary>
    public string TrialKind { get; init; } = SweepTrialKinds.FineTune;

    /// <summary>The base spec every trial starts from (a FineTuneSpec or PretrainSpec object).</summary>
    public JsonElement Spec { get; init; }

    /// <summary>A named space (see the presets) used instead of, or merged under, <see cref="Space"/>.</summary>
    public string? Preset { get; init; }

    /// <summary>Spec field path (dotted, camelCase, e.g. "training.learningRate") → its values or range.</summary>
    public Dictionary<string, SweepParameter> Space { get; init; } = [];

    /// <summary>How many trials; a grid defaults to all its combinations, a random search needs it.</summary>
    public int? Budget { get; init; }

    /// <summary>Most trials queued or running at once.</summary>
    public int Parallelism { get; init; } = 1;

    public string Metric { get; init; } = SweepMetrics.ValLoss;

    /// <summary>"minimize" (default) or "maximize".</summary>
    public string Direction { get; init; } = SweepDirections.Minimize;

    public EarlyStoppingSpec? EarlyStopping { get; init; }

    public long Seed { get; init; }
}

/// <summary>One dimension of the space: a list of <see cref="Values"/> (grid), or a <see cref="Distribution"/> over [Min, Max].</summary>
public sealed record SweepParameter
{
    public IReadOnlyList<JsonElement>? Values { get; init; }

    /// <summary>"uniform", "log-uniform" or "integer" (both bounds included).</summary>
    public string? Distribution { get; init; }

    public double? Min { get; init; }
    public double? Max { get; init; }
}

/// <summary>
/// Asynchronous successive halving: at each rung (a training step) a trial goes on only if its metric is among the best
/// 1/<see cref="ReductionFactor"/> of the trials that reached that rung so far. Without <see cref="Rungs"/> they are
/// <see cref="MinSteps"/> × factor^k below the trials' step count.
/// </summary>
public sealed record EarlyStoppingSpec
{
    public IReadOnlyList<long>? Rungs { get; init; }
    public int ReductionFactor { get; init; } = 3;

    /// <summary>No trial is stopped before this step; the first rung when no rungs are given.</summary>
    public long? MinSteps { get; init; }
}

public static class SweepTrialKinds
{
    public const string FineTune = "finetune";
    public const string Pretrain = "pretrain";
    public static IReadOnlyList<string> Names { get; } = [FineTune, Pretrain];

    public static RunKind? RunKindOf(string? name) => name switch
    {
        FineTune => RunKind.TrainTaskModel,
        Pretrain => RunKind.TrainBaseModel,
        _ => null,
    };
}

public static class SweepMetrics
{
    /// <summary>The validation loss the trainer records every training.evalEvery steps.</summary>
    public const string ValLoss = "eval/val_loss";

    /// <summary>The training loss of every step.</summary>
    public const string Loss = "loss";

    public static IReadOnlyList<string> Names { get; } = [ValLoss, Loss];
}

public static class SweepDirections
{
    public const string Minimize = "minimize";
    public const string Maximize = "maximize";
    public static IReadOnlyList<string> Names { get; } = [Minimize, Maximize];
}

public static class SweepDistributions
{
    public const string Uniform = "uniform";
    public const string LogUniform = "log-uniform";
    public const string Integer = "integer";
    public static IReadOnlyList<string> Names { get; } = [Uniform, LogUniform, Integer];
}
