using System.Text.Json;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Sweeps;

namespace SlmOps.Web.Sweeps;

/// <summary>
/// Named spaces. "all-methods": every training method of a fine-tune (the SLM follower and the three baselines), the
/// comparison `slmops-local experiment compare` makes on a laptop, as trials of one sweep. Fields of the sweep's own
/// space win over the preset's.
/// </summary>
public static class SweepPresets
{
    public const string AllMethods = "all-methods";

    public static IReadOnlyList<string> Names { get; } = [AllMethods];

    public static IReadOnlyDictionary<string, SweepParameter> Space(SweepSpec spec)
    {
        var space = new Dictionary<string, SweepParameter>(StringComparer.Ordinal);
        if (spec.Preset == AllMethods)
            space["method"] = new SweepParameter { Values = TrainingMethods.Names.Select(n => JsonSerializer.SerializeToElement(n)).ToList() };
        foreach (var (field, parameter) in spec.Space) space[field] = parameter;
        return space;
    }
}
