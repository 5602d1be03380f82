using System.Text;
using SlmOps.Data.Artifacts;

namespace SlmOps.Web.Datasets;

/// <summary>
/// Reads the first lines of a stored dataset file without loading the rest: a line longer than
/// <see cref="MaxLineChars"/> is cut (and the remainder skipped, not buffered), so even a 100 MB single-line file
/// previews in constant memory.
/// </summary>
public sealed class DatasetPreviewReader(IArtifactStore store)
{
    public const int MaxLines = 200;
    public const int MaxLineChars = 4096;

    public async Task<(IReadOnlyList<string> Lines, bool HasMore)> ReadAsync(string sha256, int lines, CancellationToken cancellation)
    {
        await using var stream = store.OpenRead(sha256);
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var result = new List<string>(lines);
        var line = new StringBuilder();
        var cut = false;
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellation)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (result.Count == lines) return (result, true);
                if (c == '\n')
                {
                    result.Add(Finish(line, cut));
                    line.Clear();
                    cut = false;
                }
                else if (line.Length < MaxLineChars) line.Append(c);
                else cut = true;
            }
        }
        if ((line.Length > 0 || cut) && result.Count < lines) result.Add(Finish(line, cut));
        else if (line.Length > 0 || cut) return (result, true);
        return (result, false);
    }

    private static string Finish(StringBuilder line, bool cut)
    {
        if (line.Length > 0 && line[^1] == '\r') line.Length--;
        return cut ? line.Append('…').ToString() : line.ToString();
    }
}
