using System.Text.Json;

namespace SlmOps.Contracts.Sweeps;

/// <summary>
/// GET /api/v1/sweeps/{id}: the sweep run's state, its trials ranked best first (a trial without a metric point last),
/// and the best trial. Shared by the web host and the CLI.
/// </summary>
public sealed record SweepDto(
    Guid Id, string? Name, string Team, RunStatus Status, string TrialKind, string Metric, string Direction,
    int Budget, int Parallelism, int Submitted, int InFlight, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
    IReadOnlyList<SweepTrialDto> Trials, SweepTrialDto? Best);

/// <summary>
/// One trial: its parameters, its run (null when it could not be submitted: <see cref="Error"/>), the run's status and
/// the best value of the sweep's metric with its step; <see cref="StoppedAtStep"/> when ASHA stopped it; the SLM version
/// a succeeded fine-tune registered (<see cref="SlmVersionId"/>, and <see cref="TaskModel"/>@<see cref="SlmVersion"/>).
/// </summary>
public sealed record SweepTrialDto(
    int Index, Guid? RunId, IReadOnlyDictionary<string, JsonElement> Params, RunStatus? Status,
    double? BestValue, long? BestStep, long? LastStep, long? StoppedAtStep, string? Error, long? SlmVersionId,
    string? TaskModel = null, int? SlmVersion = null);
