using System.Text.Json;

namespace SlmOps.Worker.Runs;

/// <summary>
/// Splits an uploaded dataset file (format text, jsonl or csv, as the dataset version records it) into documents: text by blank lines (by lines when it has no blank line, so a
/// plain one-sentence-per-line file still yields documents), jsonl by its "text" field, csv by row.
/// </summary>
public static class DatasetDocuments
{
    public static IReadOnlyList<string> Read(string path, string format) => format.ToLowerInvariant() switch
    {
        "jsonl" => File.ReadLines(path).Where(l => l.Trim().Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString() ?? "").ToList(),
        "csv" => File.ReadLines(path).Skip(1).Where(l => l.Trim().Length > 0).ToList(),
        _ => SplitText(File.ReadAllText(path)),
    };

    public static IReadOnlyList<string> SplitText(string text)
    {
        var paragraphs = text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (paragraphs.Length != 1) return paragraphs;
        var lines = paragraphs[0].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 1 ? lines : paragraphs;
    }

    /// <summary>Preparation holds documents back for validation, so it needs at least two.</summary>
    public static void EnsureEnough(IReadOnlyList<string> documents, long datasetVersionId, string format)
    {
        if (documents.Count >= 2) return;
        var how = format.ToLowerInvariant() switch
        {
            "jsonl" => "one JSON object with a \"text\" field per line",
            "csv" => "one row per document after the header",
            _ => "documents separated by blank lines, or one document per line",
        };
        throw new InvalidDataException(
            $"Dataset version {datasetVersionId} holds {documents.Count} document(s); preparation needs at least two so one can be held out " +
            $"for validation. Upload a {format.ToLowerInvariant()} file with {how}.");
    }
}
