using System.Globalization;
using System.Text.Json;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Sweeps;
using SlmOps.Data;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Sweeps;

/// <summary>The plan of a valid sweep spec, or its invalid fields (camelCase paths) with a fix each.</summary>
public sealed record SweepValidation(SweepPlan? Plan, Dictionary<string, string[]> Errors);

/// <summary>
/// Checks a sweep spec field by field: its own fields first (kind, space, budget, parallelism, metric, direction,
/// early stopping), then every trial's run spec with <see cref="RunSpecValidator"/>, the one place run specs are judged.
/// A trial's error on a field of the space is reported on <c>space.&lt;field&gt;</c> naming the trial and its value;
/// any other on <c>spec.&lt;field&gt;</c> (the base spec).
/// </summary>
public static class SweepSpecValidator
{
    public static async Task<SweepValidation> ValidateAsync(JsonElement body, SweepOptions options, RunLimits limits, SlmOpsDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors.TryAdd(field, [message]);
        if (body.ValueKind != JsonValueKind.Object) return Invalid("spec", "Required: a JSON object with trialKind, spec, space, budget, parallelism, metric, direction.");
        if (SafeJsonElementConverter.FindUnsafe(body, "") is { } text)
            return Invalid(text.Field.Length == 0 ? "spec" : text.Field, $"{text.Field} {text.Why}; remove it (NUL, control and bidirectional characters are not accepted).");
        RunSpecValidator.UnknownFields(body, typeof(SweepSpec), Fail);
        if (errors.Count > 0) return new SweepValidation(null, errors);
        SweepSpec spec;
        try
        {
            spec = body.Deserialize<SweepSpec>(RunSpecJson.Options)!;
        }
        catch (JsonException error)
        {
            return Invalid(string.IsNullOrEmpty(error.Path) ? "spec" : error.Path.TrimStart('$', '.'), BadRequestDescriber.DescribeSpecError(error, body));
        }

        var kind = SweepTrialKinds.RunKindOf(spec.TrialKind);
        if (kind is null) Fail("trialKind", $"Use one of: {string.Join(", ", SweepTrialKinds.Names)}.");
        if (spec.Spec.ValueKind != JsonValueKind.Object) Fail("spec", "Required: the base spec of every trial, a JSON object of the trial kind's fields (as POST /api/v1/runs/finetune takes).");
        if (spec.Preset is { } preset && !SweepPresets.Names.Contains(preset)) Fail("preset", $"Unknown preset '{preset}'. Known: {string.Join(", ", SweepPresets.Names)}.");
        var space = SweepPresets.Space(spec);
        if (space.Count == 0) Fail("space", "Give at least one spec field to vary, e.g. {\"training.learningRate\": {\"distribution\": \"log-uniform\", \"min\": 1e-4, \"max\": 1e-2}}, or a preset.");
        if (kind is { } k) CheckSpace(space, RunSpecValidator.FieldPaths(k), Fail);
        CheckBudget(spec, space, options, Fail);
        if (spec.Parallelism < 1) Fail("parallelism", $"Must be at least 1 (trials queued or running at once); got {spec.Parallelism}.");
        if (!SweepMetrics.Names.Contains(spec.Metric)) Fail("metric", $"Unknown metric '{spec.Metric}'. Use one of: {string.Join(", ", SweepMetrics.Names)}.");
        if (!SweepDirections.Names.Contains(spec.Direction)) Fail("direction", $"Use {string.Join(" or ", SweepDirections.Names)}; got '{spec.Direction}'.");
        if (spec.EarlyStopping is { } early) CheckEarlyStopping(early, Fail);
        if (errors.Count > 0) return new SweepValidation(null, errors);

        var plan = SweepPlan.Of(spec);
        foreach (var trial in plan.Trials)
        {
            var trialSpec = plan.TrialSpec(trial);
            foreach (var (field, messages) in await RunSpecValidator.ValidateAsync(plan.TrialKind, trialSpec, limits, db, ct))
                Fail(FieldOf(field, trial), Describe(field, trial, messages[0]));
            if (spec.Metric == SweepMetrics.ValLoss && EvalEvery(trialSpec) is not > 0)
                Fail(trial.Values.ContainsKey("training.evalEvery") ? "space.training.evalEvery" : "spec.training.evalEvery",
                    "The metric eval/val_loss is recorded only when training.evalEvery is above 0; set it (e.g. 10), or optimise \"loss\".");
        }
        return errors.Count > 0 ? new SweepValidation(null, errors) : new SweepValidation(plan, errors);

        SweepValidation Invalid(string field, string message) => new(null, new Dictionary<string, string[]> { [field] = [message] });
    }

    /// <summary>A trial's invalid field as the sweep spec names it: the space's entry when the space sets it, else the base spec's.</summary>
    public static string FieldOf(string field, SweepTrialParams trial) =>
        trial.Values.Keys.FirstOrDefault(k => field == k || field.StartsWith(k + ".", StringComparison.Ordinal)) is { } key ? $"space.{key}" : $"spec.{field}";

    public static string Describe(string field, SweepTrialParams trial, string message) =>
        trial.Values.Count == 0 || !FieldOf(field, trial).StartsWith("space.", StringComparison.Ordinal)
            ? message
            : $"Trial {trial.Index} ({string.Join(", ", trial.Values.Select(v => $"{v.Key}={v.Value.GetRawText()}"))}): {message}";

    private static void CheckSpace(IReadOnlyDictionary<string, SweepParameter> space, IReadOnlyList<string> fields, Action<string, string> fail)
    {
        foreach (var (path, parameter) in space)
        {
            var field = $"space.{path}";
            if (!fields.Contains(path)) { fail(field, $"The base spec has no field '{path}'. Fields: {string.Join(", ", fields)}."); continue; }
            if (parameter.Values is not null)
            {
                if (parameter.Distribution is not null || parameter.Min is not null || parameter.Max is not null)
                    fail(field, "Give either values (a grid) or a distribution with min and max (a random search), not both.");
                else if (parameter.Values.Count == 0) fail(field, "values is empty; list at least one value.");
                continue;
            }
            if (parameter.Distribution is not { } distribution || !SweepDistributions.Names.Contains(distribution))
            {
                fail(field, $"Give values (a list) or a distribution: {string.Join(", ", SweepDistributions.Names)} with min and max.");
                continue;
            }
            if (parameter.Min is not { } min || parameter.Max is not { } max || !double.IsFinite(min) || !double.IsFinite(max))
                fail(field, $"A {distribution} range needs finite min and max.");
            else if (min > max) fail(field, $"min ({Number(min)}) is greater than max ({Number(max)}); swap them.");
            else if (distribution == SweepDistributions.LogUniform && min <= 0) fail(field, $"A log-uniform range needs min above 0; got {Number(min)}.");
            else if (distribution == SweepDistributions.Integer && (min != Math.Floor(min) || max != Math.Floor(max)))
                fail(field, $"An integer range needs whole-number bounds; got {Number(min)}..{Number(max)}.");
        }
    }

    private static void CheckBudget(SweepSpec spec, IReadOnlyDictionary<string, SweepParameter> space, SweepOptions options, Action<string, string> fail)
    {
        var max = options.MaxBudget;
        var grid = space.Count > 0 && SweepSampler.IsGrid(space) ? SweepSampler.GridSize(space) : (long?)null;
        if (spec.Budget is not { } budget)
        {
            if (grid is null && space.Count > 0) fail("budget", "A random search (a space with a range) needs a budget: the number of trials, e.g. 8.");
            else if (grid > max) fail("budget", $"The grid has {grid} combinations, above the most trials a sweep may run, {max} ({SweepOptions.Setting(nameof(SweepOptions.MaxBudget))}); give a budget or fewer values.");
            return;
        }
        if (budget < 1) fail("budget", $"Must be at least 1 trial; got {budget}.");
        else if (budget > max) fail("budget", $"Must be at most {max} trials ({SweepOptions.Setting(nameof(SweepOptions.MaxBudget))}); got {budget}.");
        else if (grid is { } size && budget > size) fail("budget", $"The grid has only {size} combination(s); give a budget of at most {size}, or leave it out to run them all.");
    }

    private static void CheckEarlyStopping(EarlyStoppingSpec early, Action<string, string> fail)
    {
        if (early.ReductionFactor < 2) fail("earlyStopping.reductionFactor", $"Must be at least 2 (keep the best 1/factor at each rung); got {early.ReductionFactor}.");
        if (early.MinSteps is < 1) fail("earlyStopping.minSteps", $"Must be at least 1; got {early.MinSteps}.");
        if (early.Rungs is not { Count: > 0 } rungs)
        {
            if (early.MinSteps is null) fail("earlyStopping.rungs", "Give the rungs (training steps, increasing, e.g. [20, 60]) or minSteps to start them at.");
            return;
        }
        if (rungs[0] < 1 || rungs.Zip(rungs.Skip(1)).Any(p => p.Second <= p.First))
            fail("earlyStopping.rungs", $"Rungs must be positive steps in increasing order; got [{string.Join(", ", rungs)}].");
        else if (early.MinSteps is { } minSteps && rungs[0] < minSteps)
            fail("earlyStopping.rungs", $"The first rung ({rungs[0]}) is below minSteps ({minSteps}); no trial is stopped before minSteps.");
    }

    private static int? EvalEvery(JsonElement trialSpec) =>
        trialSpec.TryGetProperty("training", out var training) && training.ValueKind == JsonValueKind.Object
        && training.TryGetProperty("evalEvery", out var every) && every.TryGetInt32(out var n) ? n : null;

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
