namespace SlmOps.Contracts.Events;

/// <summary>Published by workers; the web host relays them to open dashboard pages.</summary>
public interface IRunEvent
{
    Guid RunId { get; }
    DateTimeOffset At { get; }
}

public sealed record RunStarted(Guid RunId, DateTimeOffset At, int Attempt, string Worker, string Device) : IRunEvent;

/// <summary>
/// A training step report. Loss and rate are null for kinds that have none (dataset preparation).
/// <see cref="Metrics"/> holds the latest value of every metric recorded since the previous report
/// (e.g. "loss", "learning_rate", "eval/val_loss"), so a live chart needs no extra query.
/// </summary>
public sealed record RunProgressed(
    Guid RunId,
    DateTimeOffset At,
    long Step,
    long TotalSteps,
    double? Loss,
    double? TokensPerSecond,
    double? LearningRate,
    IReadOnlyDictionary<string, double>? Metrics = null) : IRunEvent
{
    public double Fraction => TotalSteps <= 0 ? 0 : Math.Clamp((double)Step / TotalSteps, 0, 1);
}

/// <summary>Outputs name what the run registered, e.g. "slm_version" → "12".</summary>
public sealed record RunCompleted(Guid RunId, DateTimeOffset At, IReadOnlyDictionary<string, string> Outputs) : IRunEvent;

public sealed record RunFailed(Guid RunId, DateTimeOffset At, string Error, bool WillRetry) : IRunEvent;

public sealed record RunCancelled(Guid RunId, DateTimeOffset At, string? Reason) : IRunEvent;
