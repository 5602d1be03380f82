using System.Text;
using SlmOps.Data.Artifacts;

namespace SlmOps.Web.Datasets;

/// <summary>Reads the first lines of a stored dataset file without loading the rest.</summary>
public sealed class DatasetPreviewReader(IArtifactStore store)
{
    public const int MaxLines = 200;
    private const int MaxLineChars = 4096;

    public async Task<(IReadOnlyList<string> Lines, bool HasMore)> ReadAsync(string sha256, int lines, CancellationToken cancellation)
    {
        await using var stream = store.OpenRead(sha256);
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var result = new List<string>(lines);
        while (result.Count < lines && await reader.ReadLineAsync(cancellation) is { } line)
        {
            // A preview is for eyes: an enormous single line is cut rather than shipped whole.
            result.Add(line.Length > MaxLineChars ? line[..MaxLineChars] + "…" : line);
        }
        var hasMore = await reader.ReadLineAsync(cancellation) is not null;
        return (result, hasMore);
    }
}
