using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Workers;
using SlmOps.Data;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Runs;

/// <summary>What the team rules say about a spec: fields naming objects the caller does not see (answered as if they did
/// not exist, whatever else is wrong with them), or a refusal (403) for one it sees but may not use so; and the team the
/// run belongs to when it is not the caller's (an admin fine-tuning into another team's task model: the run is that team's,
/// so it registers there).</summary>
public sealed record RunSpecAccessResult(Dictionary<string, string[]> Errors, AccessDecision? Refusal, string? Team = null);

/// <summary>
/// Checks, beside <see cref="RunSpecValidator"/>, that the caller's team may use what a spec names, by
/// <see cref="TeamAccess"/>'s rules: it reads the datasets a run trains or evaluates on (its own or shared); it writes
/// what the run's outcome changes (a prepared dataset version, the task model a fine-tune registers in, the SLM version
/// an evaluation adds to), so those must be its team's; pretraining makes a base model, which only the platform team's
/// editors and admins may do. Evaluating a base model adds an evaluation keyed by the caller's dataset, which every
/// team may do (base models are shared with all).
/// </summary>
public static class RunSpecAccess
{
    public static async Task<RunSpecAccessResult> CheckAsync(RunKind kind, string config, TeamCaller caller, TeamAccess access, SlmOpsDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        AccessDecision? refusal = null;
        string? team = null;
        void Apply(AccessDecision? decision, string field, string hiddenMessage)
        {
            if (decision?.Outcome == AccessOutcome.NotFound) errors[field] = [hiddenMessage];
            else if (decision?.Outcome == AccessOutcome.Forbidden) refusal ??= decision;
        }

        RunSpec spec;
        try
        {
            spec = RunSpecs.Parse(kind, config);
        }
        catch (System.Text.Json.JsonException)
        {
            return new RunSpecAccessResult(errors, null); // the validator says what is wrong with it
        }
        if (spec.Prepare is { } prepare)
            Apply(await DatasetVersionAsync(caller, access, db, prepare.DatasetVersionId, TeamRight.Write, ct), "datasetVersionId",
                $"Dataset version {prepare.DatasetVersionId} does not exist; upload a dataset first.");
        if (spec.Pretrain is { } pretrain)
        {
            Apply(await DatasetVersionAsync(caller, access, db, pretrain.DatasetVersionId, TeamRight.Read, ct), "datasetVersionId", Missing(pretrain.DatasetVersionId));
            Apply(await access.NewBaseModelAsync(caller, pretrain.BaseModelName, ct), "baseModelName", "");
        }
        if (spec.FineTune is { } fineTune)
        {
            Apply(await DatasetVersionAsync(caller, access, db, fineTune.DatasetVersionId, TeamRight.Read, ct), "datasetVersionId", Missing(fineTune.DatasetVersionId));
            var task = await access.TaskModelAsync(caller, TeamRight.Write, fineTune.TaskModelName, ct);
            Apply(task, "taskModelName", $"The task model name '{fineTune.TaskModelName}' is taken by another team; choose another name.");
            if (task is { Allowed: true }) team = task.OwnerTeam;
        }
        if (spec.Evaluate is { } evaluate)
        {
            Apply(await DatasetVersionAsync(caller, access, db, evaluate.DatasetVersionId, TeamRight.Read, ct), "datasetVersionId", Missing(evaluate.DatasetVersionId));
            if (evaluate.SlmVersionId is { } slmId)
            {
                if (await db.SlmVersions.AsNoTracking().Where(v => v.Id == slmId).Select(v => v.TaskModel).SingleOrDefaultAsync(ct) is { } task)
                    Apply(await access.TaskModelAsync(caller, TeamRight.Write, task, ct), "slmVersionId", $"SLM version {slmId} does not exist.");
            }
        }
        return new RunSpecAccessResult(errors, refusal, team);
    }

    // The validator's own words for a version that does not exist: a hidden one must read the same.
    private static string Missing(long datasetVersionId) => $"Dataset version {datasetVersionId} does not exist.";

    /// <summary>The decision on a dataset version's dataset; null when no such version exists (the validator reports that).</summary>
    private static async Task<AccessDecision?> DatasetVersionAsync(
        TeamCaller caller, TeamAccess access, SlmOpsDbContext db, long versionId, TeamRight right, CancellationToken ct) =>
        await db.DatasetVersions.AsNoTracking().Where(v => v.Id == versionId).Select(v => v.Dataset).SingleOrDefaultAsync(ct) is { } dataset
            ? await access.DatasetAsync(caller, right, dataset, ct)
            : null;
}
