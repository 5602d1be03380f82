using System.Text.Json;
using System.Text.Json.Nodes;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Sweeps;

namespace SlmOps.Web.Sweeps;

/// <summary>
/// A valid sweep spec made concrete: the trials' run kind, the space after its preset, the trials, and each trial's
/// run spec (the base spec with the trial's values set at their paths). Built from the spec alone, so the scheduler
/// rebuilds exactly what the submission validated.
/// </summary>
public sealed record SweepPlan(SweepSpec Spec, RunKind TrialKind, IReadOnlyDictionary<string, SweepParameter> Space, IReadOnlyList<SweepTrialParams> Trials)
{
    public static SweepSpec Read(string configJson) =>
        JsonSerializer.Deserialize<SweepSpec>(configJson, RunSpecJson.Options) ?? throw new JsonException("The sweep's config is not a SweepSpec.");

    /// <summary>The plan of a spec that passed <see cref="SweepSpecValidator"/>.</summary>
    public static SweepPlan Of(SweepSpec spec)
    {
        var space = SweepPresets.Space(spec);
        var budget = spec.Budget ?? (int)Math.Min(SweepSampler.GridSize(space), int.MaxValue);
        return new SweepPlan(spec, SweepTrialKinds.RunKindOf(spec.TrialKind)!.Value, space, SweepSampler.Trials(space, budget, spec.Seed));
    }

    public int Budget => Trials.Count;

    /// <summary>The run spec of one trial.</summary>
    public JsonElement TrialSpec(SweepTrialParams trial) => Apply(Spec.Spec, trial.Values);

    /// <summary>The training steps a trial of this sweep runs at most (for generated rungs).</summary>
    public long MaxTrialSteps => Trials.Select(t => TrialSpec(t).TryGetProperty("training", out var training)
        && training.TryGetProperty("steps", out var steps) && steps.TryGetInt64(out var n) ? n : 1000).DefaultIfEmpty(1000).Max();

    public AshaRule? Asha => AshaRule.Of(Spec, MaxTrialSteps);

    /// <summary>The base spec with each value set at its dotted path (objects on the way are created).</summary>
    public static JsonElement Apply(JsonElement baseSpec, IReadOnlyDictionary<string, JsonElement> values)
    {
        var root = JsonNode.Parse(baseSpec.GetRawText()) as JsonObject ?? new JsonObject();
        foreach (var (path, value) in values)
        {
            var parts = path.Split('.');
            var node = root;
            foreach (var part in parts[..^1])
            {
                if (node[part] is not JsonObject child) node[part] = child = new JsonObject();
                node = child;
            }
            node[parts[^1]] = JsonNode.Parse(value.GetRawText());
        }
        return JsonSerializer.SerializeToElement(root);
    }
}
