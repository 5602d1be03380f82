using System.Text.Json;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Runs;

/// <summary>
/// The outcome of a submission: the queued run, or the invalid fields (camelCase paths) with a fix each, or a refusal of
/// the team rules (403: an object the caller's team sees but may not use so).
/// </summary>
public sealed record RunSubmissionResult(RunDto? Run, IReadOnlyDictionary<string, string[]> Errors, string? Detail, AccessDecision? Refusal = null)
{
    public bool Succeeded => Run is not null;
}

/// <summary>
/// A run submitted as the child of another (a sweep's trial): its parent, and what joins the run's insert in the same
/// transaction (the sweep's trial row, whose key keeps a trial from being submitted twice).
/// </summary>
public sealed record RunChild(Guid ParentRunId, Action<SlmOpsDbContext, Run> Enlist);

/// <summary>
/// Submitting a run, shared by the runs API and the dashboard's new-run page: validates the spec with
/// <see cref="RunSpecValidator"/> and the team rules (<see cref="RunSpecAccess"/>), records the run in the caller's team
/// with its first log line, and dispatches it to its queue.
/// </summary>
public static class RunSubmission
{
    /// <summary>Validates under the configured <see cref="RunLimits"/> (Runs:Limits), records and dispatches.</summary>
    public static async Task<RunSubmissionResult> SubmitAsync(
        RunKind kind, SubmitRunRequest body, Guid? clonedFrom, TeamCaller caller, RunLimits limits, SlmOpsDbContext db, IRunDispatcher dispatcher,
        CancellationToken ct, RunChild? child = null)
    {
        if (InputText.Problem("name", body.Name, limits.MaxNameLength) is { } nameProblem)
            return Invalid(new() { ["name"] = [nameProblem] }, "The run was not submitted: its name cannot be stored.");
        if (body.Spec.ValueKind != JsonValueKind.Object)
            return Invalid(new() { ["spec"] = ["Required: a JSON object with the run's settings."] }, null);
        if (body.Priority is < 0 or > RunQueues.MaxPriority)
            return Invalid(new() { ["priority"] = [$"Must be between 0 and {RunQueues.MaxPriority}."] }, null);
        var errors = await RunSpecValidator.ValidateAsync(kind, body.Spec, limits, db, ct);
        var teams = await RunSpecAccess.CheckAsync(kind, body.Spec.GetRawText(), caller, new TeamAccess(db), db, ct);
        // An object the caller does not see reads as one that does not exist, whatever else the validator found on it.
        foreach (var (field, messages) in teams.Errors) errors[field] = messages;
        if (errors.Count > 0) return Invalid(errors, $"The {kind} spec has {errors.Count} invalid field(s).");
        if (teams.Refusal is { } refusal) return new RunSubmissionResult(null, new Dictionary<string, string[]>(), refusal.Detail, refusal);

        var run = new Run
        {
            Id = Guid.NewGuid(), Kind = kind, Name = body.Name, Priority = body.Priority,
            Config = body.Spec.GetRawText(), ClonedFromRunId = clonedFrom, ParentRunId = child?.ParentRunId, CreatedBy = caller.Name,
            Team = teams.Team ?? caller.Team ?? Team.DefaultName,
            CodeVersion = typeof(RunSubmission).Assembly.GetName().Version?.ToString(),
        };
        db.Runs.Add(run);
        db.RunEvents.Add(new RunEvent { RunId = run.Id, Message = $"Submitted {kind}" + (clonedFrom is null ? "" : $" (clone of {clonedFrom})")
            + (child is null ? "" : $" (child of {child.ParentRunId})") });
        child?.Enlist(db, run);
        await db.SaveChangesAsync(ct);
        await dispatcher.DispatchAsync(run.Id, ct);
        await db.Entry(run).ReloadAsync(ct);
        return new RunSubmissionResult(RunDto.From(run), new Dictionary<string, string[]>(), null);
    }

    private static RunSubmissionResult Invalid(Dictionary<string, string[]> errors, string? detail) => new(null, errors, detail);
}
