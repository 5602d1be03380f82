using SlmOps.Data.Entities;

namespace SlmOps.Web.Datasets;

public static class DatasetFormats
{
    public const string Allowed = "text, jsonl, csv";

    public static string Name(DatasetFormat format) => format.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out DatasetFormat format)
    {
        format = DatasetFormat.Text;
        var trimmed = value?.Trim() ?? "";
        return trimmed.Length > 0 && trimmed.All(char.IsAsciiLetter) && Enum.TryParse(trimmed, ignoreCase: true, out format);
    }

    /// <summary>The format a file name suggests when the client names none.</summary>
    public static DatasetFormat FromFileName(string? fileName) => Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
    {
        ".jsonl" or ".ndjson" => DatasetFormat.Jsonl,
        ".csv" => DatasetFormat.Csv,
        _ => DatasetFormat.Text,
    };

    public static string MediaType(DatasetFormat format) => format switch
    {
        DatasetFormat.Jsonl => "application/jsonl",
        DatasetFormat.Csv => "text/csv",
        _ => "text/plain",
    };
}
