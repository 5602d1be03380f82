using System.Globalization;
using System.Text.Json;
using SlmOps.Modeling.Evaluation;

namespace SlmOps.Web.Components.Pages.Compare;

/// <summary>
/// Reads a comparison.json written by <c>slmops-local experiment compare --out DIR</c> and shapes it into table rows
/// (best task val loss first); a file that is not such a report gives a message a person can act on instead.
/// </summary>
public static class MethodComparisonView
{
    public const long MaxFileBytes = 1024 * 1024;
    public const string HowToProduce = "Run `slmops-local experiment compare --out DIR`, then pick DIR/comparison.json.";

    /// <summary>One table row and chart bar; numbers that do not apply to a method are null.</summary>
    public sealed record Row(
        string Method, double TaskValLoss, double TaskPerplexity, double? BaseValLossPlugged, double? BaseValLossUnplugged,
        long TrainableParameters, double? PeakMemoryMiB, double? StepTimeMs, double? GapClosedPercent);

    /// <summary>Either the device and rows, or Error (never both).</summary>
    public sealed record Parsed(string? Device, IReadOnlyList<Row> Rows, string? Error)
    {
        public static Parsed Failure(string error) => new(null, [], error);
    }

    public static Parsed Parse(string json, string fileName = "the file")
    {
        MethodComparisonReport report;
        try
        {
            report = MethodComparisonReport.FromJson(json);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            return Parsed.Failure($"{fileName} is not a method-comparison report ({Reason(e)}). {HowToProduce}");
        }
        if (report.Methods is null || string.IsNullOrWhiteSpace(report.Device))
            return Parsed.Failure($"{fileName} is JSON but not a method-comparison report: it needs \"device\" and \"methods\". {HowToProduce}");
        if (report.Methods.Count == 0)
            return Parsed.Failure($"{fileName} lists no methods; rerun the comparison with at least one method. {HowToProduce}");
        if (report.Methods.Any(m => m is null || string.IsNullOrWhiteSpace(m.Method)))
            return Parsed.Failure($"{fileName} has a method entry without a name. {HowToProduce}");
        return new Parsed(report.Device, Rows(report), null);
    }

    public static IReadOnlyList<Row> Rows(MethodComparisonReport report) =>
        report.Methods.OrderBy(m => m.TaskValLoss).ThenBy(m => m.Method, StringComparer.Ordinal)
            .Select(m => new Row(m.Method, m.TaskValLoss, m.TaskPerplexity, m.BaseValLossPlugged, m.BaseValLossUnplugged,
                m.TrainableParameters, m.PeakMemoryBytes / (1024.0 * 1024.0), m.StepTimeMs, m.GapClosed * 100))
            .ToList();

    /// <summary>A number for a table cell: fixed decimals, invariant culture, an em dash where it does not apply.</summary>
    public static string Cell(double? value, string format) => value is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "—";

    private static string Reason(Exception e) => e switch
    {
        JsonException { LineNumber: { } line } json when json.Message.Contains("required", StringComparison.OrdinalIgnoreCase) =>
            $"a method is missing a required field near line {line + 1}",
        JsonException { LineNumber: { } line } => $"invalid or unexpected JSON near line {line + 1}",
        JsonException => "invalid or unexpected JSON",
        _ => e.Message.TrimEnd('.'),
    };
}
