using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using SlmOps.Data.Artifacts;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Datasets;

/// <summary>
/// Reads a multipart/form-data upload section by section: the <c>file</c> part streams straight into the artifact
/// store (hashed and size-checked on the way, never held in memory), the small text fields are read as strings.
/// </summary>
public sealed class MultipartDatasetReader(DatasetFileIntake intake, DatasetVersionWriter writer)
{
    private const int MaxFieldBytes = 16 * 1024;

    /// <summary>The upload, or why it was refused. A refused file is not left in the store.</summary>
    public async Task<(DatasetUpload? Upload, UploadRefusal? Refusal)> ReadAsync(
        HttpRequest request, long maxBytes, CancellationToken cancellation)
    {
        StoredArtifact? stored = null;
        try
        {
            var result = await ReadSectionsAsync(request, maxBytes, artifact => stored = artifact, cancellation);
            if (result.Upload is { Format: DatasetFormat.Jsonl } jsonl && await intake.JsonLinesProblemAsync(jsonl.Artifact, cancellation) is { } notJsonl)
                result = Refuse(400, notJsonl);
            if (result.Refusal is not null && stored is not null) await writer.DiscardIfUnreferencedAsync(stored.Sha256, cancellation);
            return result;
        }
        catch (Exception error) when (error is IOException or BadHttpRequestException && !cancellation.IsCancellationRequested)
        {
            // The body ended before the closing boundary (cut short, or shorter than its Content-Length).
            if (stored is not null) await writer.DiscardIfUnreferencedAsync(stored.Sha256, CancellationToken.None);
            return Refuse(400, "The upload ended early: the multipart body stopped before its closing boundary (--boundary--), " +
                "so it was cut short or is shorter than its Content-Length. Nothing was stored; send the whole form again.");
        }
        catch when (stored is not null)
        {
            await writer.DiscardIfUnreferencedAsync(stored.Sha256, CancellationToken.None);
            throw;
        }
    }

    private async Task<(DatasetUpload? Upload, UploadRefusal? Refusal)> ReadSectionsAsync(
        HttpRequest request, long maxBytes, Action<StoredArtifact> onStored, CancellationToken cancellation)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Refuse(400, "Send the dataset as multipart/form-data with a part 'file' (the text file) and a field 'name'.");
        }

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        StoredArtifact? stored = null;
        string? fileName = null;
        long rows = 0;
        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(cancellation) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (field.Equals("file", StringComparison.OrdinalIgnoreCase))
            {
                if (stored is not null) return Refuse(400, "Send exactly one part named 'file'.");
                // A bad name sent before the file is refused before any byte is stored.
                if (fields.TryGetValue("name", out var early) && DatasetNames.Problem(early) is { } earlyProblem) return Refuse(400, earlyProblem);
                fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                var (artifact, lines, refusal) = await intake.StoreAsync(section.Body, maxBytes, cancellation);
                if (refusal is not null) return (null, refusal);
                stored = artifact!;
                onStored(stored);
                rows = lines;
            }
            else
            {
                using var text = new StreamReader(section.Body);
                var value = await ReadLimitedAsync(text, cancellation);
                if (value is null) return Refuse(400, $"The form field '{field}' is longer than {MaxFieldBytes:N0} characters.");
                fields[field] = value;
            }
        }

        if (stored is null) return Refuse(400, "The form has no part named 'file': attach the dataset file as 'file'.");
        fields.TryGetValue("name", out var name);
        fields.TryGetValue("format", out var formatText);
        fields.TryGetValue("description", out var description);
        return DatasetFileIntake.Describe(name, formatText, description, fileName, stored, rows);
    }

    private static (DatasetUpload?, UploadRefusal?) Refuse(int status, string detail) => (null, new UploadRefusal(status, detail));

    private static async Task<string?> ReadLimitedAsync(StreamReader reader, CancellationToken cancellation)
    {
        var buffer = new char[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), cancellation)) > 0) length += read;
        return length > MaxFieldBytes ? null : new string(buffer, 0, length);
    }
}
