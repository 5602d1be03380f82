using System.Text.Json;
using SlmOps.Data.Entities;

namespace SlmOps.Worker.Runs;

/// <summary>Splits an uploaded dataset file into documents: text by blank lines, jsonl by its "text" field, csv by row.</summary>
public static class DatasetDocuments
{
    public static IReadOnlyList<string> Read(string path, DatasetFormat format) => format switch
    {
        DatasetFormat.Jsonl => File.ReadLines(path).Where(l => l.Trim().Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString() ?? "").ToList(),
        DatasetFormat.Csv => File.ReadLines(path).Skip(1).Where(l => l.Trim().Length > 0).ToList(),
        _ => File.ReadAllText(path).Split(["\n\n", "\r\n\r\n"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };
}
