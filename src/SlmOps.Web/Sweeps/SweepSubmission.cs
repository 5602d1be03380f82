using System.Text.Json;
using Hangfire;
using SlmOps.Contracts;
using SlmOps.Contracts.Sweeps;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Sweeps;

/// <summary>The submitted sweep, or its invalid fields, or a refusal of the team rules (403).</summary>
public sealed record SweepSubmissionResult(Run? Sweep, IReadOnlyDictionary<string, string[]> Errors, string? Detail, AccessDecision? Refusal = null);

/// <summary>
/// Submitting a sweep, shared by the API and the dashboard: validates the spec and every trial's run spec
/// (<see cref="SweepSpecValidator"/>), applies the team rules to every trial (<see cref="RunSpecAccess"/>, as a run
/// submission does), records the Sweep run (Running: no worker takes it) and enqueues its scheduler's first pass.
/// </summary>
public static class SweepSubmission
{
    public static async Task<SweepSubmissionResult> SubmitAsync(
        SubmitRunRequest body, TeamCaller caller, SweepOptions options, RunLimits limits, SlmOpsDbContext db, IBackgroundJobClient jobs, CancellationToken ct)
    {
        if (InputText.Problem("name", body.Name, limits.MaxNameLength) is { } nameProblem)
            return Invalid(new() { ["name"] = [nameProblem] }, "The sweep was not submitted: its name cannot be stored.");
        if (body.Priority is < 0 or > Contracts.Runs.RunQueues.MaxPriority)
            return Invalid(new() { ["priority"] = [$"Must be between 0 and {Contracts.Runs.RunQueues.MaxPriority}."] }, null);
        var validation = await SweepSpecValidator.ValidateAsync(body.Spec, options, limits, db, ct);
        var errors = validation.Errors;
        AccessDecision? refusal = null;
        string? team = null;
        foreach (var (kind, trial, spec) in TrialSpecs(validation.Plan, body.Spec))
        {
            var access = await RunSpecAccess.CheckAsync(kind, spec.GetRawText(), caller, new TeamAccess(db), db, ct);
            // An object the caller does not see reads as one that does not exist, whatever else was found on it.
            foreach (var (field, messages) in access.Errors)
                errors[SweepSpecValidator.FieldOf(field, trial)] = [SweepSpecValidator.Describe(field, trial, messages[0])];
            refusal ??= access.Refusal;
            team ??= access.Team;
        }
        if (errors.Count > 0) return Invalid(errors, $"The sweep spec has {errors.Count} invalid field(s).");
        if (refusal is not null) return new SweepSubmissionResult(null, errors, refusal.Detail, refusal);

        var now = DateTimeOffset.UtcNow;
        var sweep = new Run
        {
            Id = Guid.NewGuid(), Kind = RunKind.Sweep, Status = RunStatus.Running, StartedAt = now, Name = body.Name, Priority = body.Priority,
            Config = body.Spec.GetRawText(), CreatedBy = caller.Name, Team = team ?? caller.Team ?? Team.DefaultName,
            CodeVersion = typeof(SweepSubmission).Assembly.GetName().Version?.ToString(),
        };
        var p = validation.Plan!;
        db.Runs.Add(sweep);
        db.RunEvents.Add(new RunEvent
        {
            RunId = sweep.Id, Message = $"Submitted Sweep: {p.Budget} {p.Spec.TrialKind} trial(s), {p.Spec.Parallelism} at a time, " +
                                        $"{p.Spec.Direction} {p.Spec.Metric}" + (p.Asha is { } asha ? $", ASHA rungs [{string.Join(", ", asha.Rungs)}] factor {asha.ReductionFactor}" : ""),
        });
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<SweepJobs>(job => job.AdvanceAsync(sweep.Id, CancellationToken.None));
        return new SweepSubmissionResult(sweep, errors, null);
    }

    /// <summary>
    /// What the team rules judge: every trial's spec, or, when the sweep spec is invalid, its base spec alone (so a hidden
    /// object still reads as missing, whatever else the validator found on it).
    /// </summary>
    private static IEnumerable<(RunKind Kind, SweepTrialParams Trial, JsonElement Spec)> TrialSpecs(SweepPlan? plan, JsonElement body)
    {
        if (plan is not null) return plan.Trials.Select(t => (plan.TrialKind, t, plan.TrialSpec(t)));
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("spec", out var spec) || spec.ValueKind != JsonValueKind.Object) return [];
        var kindName = body.TryGetProperty("trialKind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : SweepTrialKinds.FineTune;
        return SweepTrialKinds.RunKindOf(kindName) is { } kind ? [(kind, new SweepTrialParams(0, new Dictionary<string, JsonElement>()), spec)] : [];
    }

    private static SweepSubmissionResult Invalid(Dictionary<string, string[]> errors, string? detail) => new(null, errors, detail);
}
