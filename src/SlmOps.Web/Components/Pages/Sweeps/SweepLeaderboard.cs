using System.Globalization;
using System.Text.Json;
using SlmOps.Contracts;
using SlmOps.Contracts.Sweeps;

namespace SlmOps.Web.Components.Pages.Sweeps;

/// <summary>A point of the parameter-against-metric chart: the parameter's value (a number, or a category's text) and the trial's best metric.</summary>
public sealed record ScatterPoint(double X, string Category, double Value, int Trial);

/// <summary>
/// The sweep page's table and chart data, kept out of the markup so it is tested as plain code: the leaderboard sorted by
/// any column (the server's ranking by default: best metric first, trials without one last), the searched fields, and
/// the points of one field against the metric.
/// </summary>
public static class SweepLeaderboard
{
    public const string RankColumn = "rank";
    public const string TrialColumn = "trial";
    public const string StatusColumn = "status";
    public const string MetricColumn = "metric";
    public const string StepColumn = "step";

    public static IReadOnlyList<string> Fields(SweepDto sweep) =>
        sweep.Trials.SelectMany(t => t.Params.Keys).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The rank of each trial in the server's order (trials without a metric value have none).</summary>
    public static IReadOnlyDictionary<int, int> Ranks(SweepDto sweep) =>
        sweep.Trials.Where(t => t.BestValue is not null).Select((t, i) => (t.Index, Rank: i + 1)).ToDictionary(p => p.Index, p => p.Rank);

    /// <summary>The trials sorted by <paramref name="column"/> (a column name above, or a searched field); missing values last.</summary>
    public static IReadOnlyList<SweepTrialDto> Sort(SweepDto sweep, string column, bool descending)
    {
        var ranks = Ranks(sweep);
        IComparable? Key(SweepTrialDto t) => column switch
        {
            RankColumn => ranks.TryGetValue(t.Index, out var rank) ? rank : null,
            TrialColumn => t.Index,
            StatusColumn => t.Status?.ToString(),
            MetricColumn => t.BestValue,
            StepColumn => t.BestStep,
            _ => t.Params.TryGetValue(column, out var value) ? Comparable(value) : null,
        };
        var present = sweep.Trials.Where(t => Key(t) is not null);
        var sorted = descending ? present.OrderByDescending(Key).ThenBy(t => t.Index) : present.OrderBy(Key).ThenBy(t => t.Index);
        return sorted.Concat(sweep.Trials.Where(t => Key(t) is null)).ToList();
    }

    /// <summary>The best metric of every trial that has one against <paramref name="field"/>'s value.</summary>
    public static IReadOnlyList<ScatterPoint> Scatter(SweepDto sweep, string field)
    {
        var points = sweep.Trials.Where(t => t.BestValue is not null && t.Params.ContainsKey(field)).ToList();
        var numeric = points.All(t => t.Params[field].ValueKind == JsonValueKind.Number);
        var categories = points.Select(t => Text(t.Params[field])).Distinct().ToList();
        return points.Select(t => new ScatterPoint(
            numeric ? t.Params[field].GetDouble() : categories.IndexOf(Text(t.Params[field])), Text(t.Params[field]), t.BestValue!.Value, t.Index)).ToList();
    }

    /// <summary>True when every value of the field is a number (the chart's x axis is then the value, else the category's position).</summary>
    public static bool IsNumeric(SweepDto sweep, string field) =>
        sweep.Trials.Where(t => t.Params.ContainsKey(field)).All(t => t.Params[field].ValueKind == JsonValueKind.Number);

    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetDouble().ToString("G6", CultureInfo.InvariantCulture),
        _ => value.GetRawText(),
    };

    public static bool IsActive(RunStatus? status) => status is RunStatus.Queued or RunStatus.Running;

    private static IComparable? Comparable(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : Text(value);
}
