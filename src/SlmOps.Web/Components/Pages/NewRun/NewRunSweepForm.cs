using System.Text.Json;
using System.Text.Json.Nodes;
using SlmOps.Contracts;
using SlmOps.Contracts.Sweeps;
using SlmOps.Web.Sweeps;

namespace SlmOps.Web.Components.Pages.NewRun;

/// <summary>One dimension of the space as the form edits it: a field path, a mode ("values" or a distribution) and its text.</summary>
public sealed class NewRunSweepDimension
{
    public string Field { get; set; } = "training.learningRate";

    /// <summary>"values" (a grid list) or one of <see cref="SweepDistributions.Names"/>.</summary>
    public string Mode { get; set; } = "values";

    /// <summary>Comma-separated values: numbers and true/false keep their type, anything else is text.</summary>
    public string Values { get; set; } = "";

    public double? Min { get; set; }
    public double? Max { get; set; }
}

/// <summary>
/// The sweep part of the new-run page: with <see cref="Enabled"/>, the run the form describes becomes the base spec of a
/// sweep over <see cref="Space"/>. Only shapes the JSON; <see cref="SweepSubmission"/> judges it, and its messages come
/// back keyed as the API names them (<c>space.&lt;field&gt;</c>, <c>budget</c>, <c>spec.&lt;field&gt;</c>).
/// </summary>
public sealed class NewRunSweepForm
{
    public const string ValuesMode = "values";
    public static IReadOnlyList<string> Modes { get; } = [ValuesMode, .. SweepDistributions.Names];

    public bool Enabled { get; set; }
    public List<NewRunSweepDimension> Space { get; set; } = [new()];
    public string? Preset { get; set; }
    public int? Budget { get; set; }
    public int Parallelism { get; set; } = 2;
    public string Metric { get; set; } = SweepMetrics.ValLoss;
    public string Direction { get; set; } = SweepDirections.Minimize;
    public bool EarlyStopping { get; set; }

    /// <summary>Comma-separated rung steps, e.g. "20, 60".</summary>
    public string Rungs { get; set; } = "";

    public int ReductionFactor { get; set; } = 3;
    public long Seed { get; set; }

    public static bool Supports(RunKind kind) => kind is RunKind.TrainTaskModel or RunKind.TrainBaseModel;

    /// <summary>The spec fields a dimension may name for the run kind (the same list the API checks against).</summary>
    public static IReadOnlyList<string> FieldsOf(RunKind kind) => Supports(kind) ? SlmOps.Web.Runs.RunSpecValidator.FieldPaths(kind) : [];

    /// <summary>The sweep spec: the run form's spec as the base, this form's space and settings around it.</summary>
    public JsonElement ToSpec(RunKind kind, JsonElement baseSpec)
    {
        var space = new JsonObject();
        foreach (var dimension in Space.Where(d => !string.IsNullOrWhiteSpace(d.Field)))
        {
            space[dimension.Field] = dimension.Mode == ValuesMode
                ? new JsonObject { ["values"] = new JsonArray(SplitValues(dimension.Values).ToArray()) }
                : new JsonObject { ["distribution"] = dimension.Mode, ["min"] = dimension.Min, ["max"] = dimension.Max };
        }
        var spec = new JsonObject
        {
            ["trialKind"] = kind == RunKind.TrainBaseModel ? SweepTrialKinds.Pretrain : SweepTrialKinds.FineTune,
            ["spec"] = JsonNode.Parse(baseSpec.GetRawText()),
            ["space"] = space,
            ["parallelism"] = Parallelism, ["metric"] = Metric, ["direction"] = Direction, ["seed"] = Seed,
        };
        if (Preset is { Length: > 0 } preset) spec["preset"] = preset;
        if (Budget is { } budget) spec["budget"] = budget;
        if (EarlyStopping)
            spec["earlyStopping"] = new JsonObject { ["rungs"] = new JsonArray(SplitValues(Rungs).ToArray()), ["reductionFactor"] = ReductionFactor };
        return JsonSerializer.SerializeToElement(spec);
    }

    /// <summary>"0.001, 3e-4, slm" → 0.001, 0.0003, "slm".</summary>
    public static IEnumerable<JsonNode?> SplitValues(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(item =>
            double.TryParse(item, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? JsonValue.Create(number)
                : bool.TryParse(item, out var flag) ? JsonValue.Create(flag) : (JsonNode?)JsonValue.Create(item));

    /// <summary>The "all methods" preset of a fine-tune: every training method as a grid (the comparison `experiment compare` makes).</summary>
    public void ApplyAllMethods()
    {
        Preset = SweepPresets.AllMethods;
        Space.RemoveAll(d => d.Field == "method" || (d.Mode == ValuesMode && string.IsNullOrWhiteSpace(d.Values)));
    }
}
