using System.Text.Json;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Runs;

/// <summary>The outcome of a submission: the queued run, or the invalid fields (camelCase paths) with a fix each.</summary>
public sealed record RunSubmissionResult(RunDto? Run, IReadOnlyDictionary<string, string[]> Errors, string? Detail)
{
    public bool Succeeded => Run is not null;
}

/// <summary>
/// Submitting a run, shared by the runs API and the dashboard's new-run page: validates the spec with
/// <see cref="RunSpecValidator"/>, records the run and its first log line, and dispatches it to its queue.
/// </summary>
public static class RunSubmission
{
    /// <summary>Validates under the configured <see cref="RunLimits"/> (Runs:Limits), records and dispatches.</summary>
    public static async Task<RunSubmissionResult> SubmitAsync(
        RunKind kind, SubmitRunRequest body, Guid? clonedFrom, string actor, RunLimits limits, SlmOpsDbContext db, IRunDispatcher dispatcher,
        CancellationToken ct)
    {
        if (InputText.Problem("name", body.Name, limits.MaxNameLength) is { } nameProblem)
            return Invalid(new() { ["name"] = [nameProblem] }, "The run was not submitted: its name cannot be stored.");
        if (body.Spec.ValueKind != JsonValueKind.Object)
            return Invalid(new() { ["spec"] = ["Required: a JSON object with the run's settings."] }, null);
        if (body.Priority is < 0 or > RunQueues.MaxPriority)
            return Invalid(new() { ["priority"] = [$"Must be between 0 and {RunQueues.MaxPriority}."] }, null);
        var errors = await RunSpecValidator.ValidateAsync(kind, body.Spec, limits, db, ct);
        if (errors.Count > 0) return Invalid(errors, $"The {kind} spec has {errors.Count} invalid field(s).");

        var run = new Run
        {
            Id = Guid.NewGuid(), Kind = kind, Name = body.Name, Priority = body.Priority,
            Config = body.Spec.GetRawText(), ClonedFromRunId = clonedFrom, CreatedBy = actor,
            CodeVersion = typeof(RunSubmission).Assembly.GetName().Version?.ToString(),
        };
        db.Runs.Add(run);
        db.RunEvents.Add(new RunEvent { RunId = run.Id, Message = $"Submitted {kind}" + (clonedFrom is null ? "" : $" (clone of {clonedFrom})") });
        await db.SaveChangesAsync(ct);
        await dispatcher.DispatchAsync(run.Id, ct);
        await db.Entry(run).ReloadAsync(ct);
        return new RunSubmissionResult(RunDto.From(run), new Dictionary<string, string[]>(), null);
    }

    private static RunSubmissionResult Invalid(Dictionary<string, string[]> errors, string? detail) => new(null, errors, detail);
}
