using SlmOps.Modeling.Evaluation;

namespace SlmOps.Cli.Local.Reports;

/// <summary>Writes comparison.md (table + notes), comparison.csv, comparison.svg and comparison.json into the output folder.</summary>
public static class ReportFiles
{
    public static IReadOnlyList<string> Write(string outDir, MethodComparisonReport report, IEnumerable<string> notes)
    {
        Directory.CreateDirectory(outDir);
        var markdown = report.ToMarkdown() + "\n" + string.Concat(notes.Select(n => $"- {n}\n"));
        var files = new (string Name, string Text)[]
        {
            ("comparison.md", markdown),
            ("comparison.csv", report.ToCsv()),
            ("comparison.svg", ComparisonChart.Svg(report)),
            ("comparison.json", report.ToJson()),
        };
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(outDir, name), text);
        return files.Select(f => Path.Combine(outDir, f.Name)).ToList();
    }
}
