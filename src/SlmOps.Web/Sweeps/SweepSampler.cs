using System.Globalization;
using System.Text.Json;
using SlmOps.Contracts.Sweeps;

namespace SlmOps.Web.Sweeps;

/// <summary>One trial's values: spec field path → value, and its place in the sweep.</summary>
public sealed record SweepTrialParams(int Index, IReadOnlyDictionary<string, JsonElement> Values);

/// <summary>
/// Turns a space into its trials, deterministically. Fields are taken in ordinal order of their paths, so the order they
/// were written in does not matter. A space of lists only is a grid: every combination, the last field varying fastest.
/// Otherwise it is a random search: trial after trial, field after field, one draw each from SplitMix64(seed): a list
/// picks an element, "uniform" min + u(max - min), "log-uniform" exp of uniform in log space, "integer" a whole number
/// in [min, max]. Drawn reals are rounded to 6 significant digits, so stored and shown values read back exactly.
/// </summary>
public static class SweepSampler
{
    public static bool IsGrid(IReadOnlyDictionary<string, SweepParameter> space) => space.Values.All(p => p.Values is not null);

    /// <summary>The number of combinations of a grid (saturating at long.MaxValue).</summary>
    public static long GridSize(IReadOnlyDictionary<string, SweepParameter> space)
    {
        long size = 1;
        foreach (var parameter in space.Values)
        {
            var count = parameter.Values?.Count ?? 0;
            size = count == 0 ? 0 : size > long.MaxValue / count ? long.MaxValue : size * count;
        }
        return size;
    }

    public static IReadOnlyList<SweepTrialParams> Trials(IReadOnlyDictionary<string, SweepParameter> space, int budget, long seed)
    {
        var fields = space.Keys.Order(StringComparer.Ordinal).ToArray();
        return IsGrid(space) ? Grid(space, fields, budget) : Random(space, fields, budget, seed);
    }

    private static List<SweepTrialParams> Grid(IReadOnlyDictionary<string, SweepParameter> space, string[] fields, int budget)
    {
        var trials = new List<SweepTrialParams>(budget);
        for (var index = 0; index < budget; index++)
        {
            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var rest = (long)index;
            for (var f = fields.Length - 1; f >= 0; f--)
            {
                var options = space[fields[f]].Values!;
                values[fields[f]] = options[(int)(rest % options.Count)];
                rest /= options.Count;
            }
            trials.Add(new SweepTrialParams(index, Ordered(values, fields)));
        }
        return trials;
    }

    private static List<SweepTrialParams> Random(IReadOnlyDictionary<string, SweepParameter> space, string[] fields, int budget, long seed)
    {
        var random = new SplitMix64(seed);
        var trials = new List<SweepTrialParams>(budget);
        for (var index = 0; index < budget; index++)
        {
            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var field in fields) values[field] = Draw(space[field], random.NextDouble());
            trials.Add(new SweepTrialParams(index, values));
        }
        return trials;
    }

    private static JsonElement Draw(SweepParameter parameter, double u)
    {
        if (parameter.Values is { } options) return options[Math.Min((int)(u * options.Count), options.Count - 1)];
        var (min, max) = (parameter.Min!.Value, parameter.Max!.Value);
        return parameter.Distribution switch
        {
            SweepDistributions.Integer => Number((long)Math.Min(Math.Floor(min + u * (max - min + 1)), max)),
            SweepDistributions.LogUniform => Number(Round(Math.Exp(Math.Log(min) + u * (Math.Log(max) - Math.Log(min))))),
            _ => Number(Round(min + u * (max - min))),
        };
    }

    private static double Round(double value) =>
        double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static JsonElement Number<T>(T value) => JsonSerializer.SerializeToElement(value);

    private static Dictionary<string, JsonElement> Ordered(Dictionary<string, JsonElement> values, string[] fields) =>
        fields.ToDictionary(f => f, f => values[f], StringComparer.Ordinal);
}
