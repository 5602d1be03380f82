using SlmOps.Data.Artifacts;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Datasets;

/// <summary>
/// The one way a dataset file enters the store, whether it came as a multipart API upload or from the dashboard's
/// file picker: streamed through the text check (empty, binary, invalid UTF-8) into the artifact store under the
/// size limit, then checked against the form fields.
/// </summary>
public sealed class DatasetFileIntake(IArtifactStore store)
{
    public const int TooLarge = StatusCodes.Status413PayloadTooLarge;

    /// <summary>The stored file and its non-empty line count, or why it was refused (nothing stays stored then).</summary>
    public async Task<(StoredArtifact? Stored, long Lines, UploadRefusal? Refusal)> StoreAsync(Stream file, long maxBytes, CancellationToken cancellation)
    {
        var inspector = new TextInspectingStream(file);
        try
        {
            var stored = await store.PutAsync(inspector, maxBytes, cancellation);
            return (stored, inspector.NonEmptyLines, null);
        }
        catch (ArtifactTooLargeException)
        {
            return (null, 0, new UploadRefusal(TooLarge, $"The file is larger than the {maxBytes:N0}-byte limit ({DatasetOptions.MaxUploadBytesSetting})."));
        }
        catch (DatasetContentException content)
        {
            return (null, 0, new UploadRefusal(StatusCodes.Status400BadRequest, content.Message));
        }
    }

    /// <summary>Why a stored file is not JSON lines (the first line that is not one JSON value), or null when every non-empty line is.</summary>
    public async Task<string?> JsonLinesProblemAsync(StoredArtifact stored, CancellationToken cancellation)
    {
        await using var file = store.OpenRead(stored.Sha256);
        using var reader = new StreamReader(file, System.Text.Encoding.UTF8);
        var number = 0L;
        while (await reader.ReadLineAsync(cancellation) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var _ = System.Text.Json.JsonDocument.Parse(line);
            }
            catch (System.Text.Json.JsonException error)
            {
                var shown = line.Length > 80 ? line[..80] + "…" : line;
                return $"The file is not JSON lines: line {number:N0} is not a JSON value ({error.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}): {shown}. " +
                    "Each non-empty line must be one JSON value, e.g. {\"text\": \"...\"}; send format=text for plain text.";
            }
        }
        return null;
    }

    /// <summary>Checks the form fields that come with a stored file and names what is wrong with them.</summary>
    public static (DatasetUpload? Upload, UploadRefusal? Refusal) Describe(
        string? name, string? formatText, string? description, string? fileName, StoredArtifact stored, long lines)
    {
        if (DatasetNames.Problem(name) is { } nameProblem) return Refuse(nameProblem);
        if (InputText.Problem("description", description, InputText.MaxDescriptionLength, multiline: true) is { } descriptionProblem)
            return Refuse(descriptionProblem);
        if (InputText.Problem("file name", fileName, InputText.MaxNameLength) is { } fileNameProblem) return Refuse(fileNameProblem);
        if (InputText.Unsafe(formatText, multiline: false) is { } formatWhy) return Refuse($"format {formatWhy}; use one of {DatasetFormats.Allowed}.");
        var format = DatasetFormats.FromFileName(fileName);
        if (!string.IsNullOrEmpty(formatText) && !DatasetFormats.TryParse(formatText, out format))
        {
            return Refuse($"'{formatText}' is not a dataset format: use one of {DatasetFormats.Allowed}.");
        }
        var rows = format == DatasetFormat.Csv && lines > 0 ? lines - 1 : lines; // the header row
        return (new DatasetUpload(name!, format, string.IsNullOrWhiteSpace(description) ? null : description, fileName, stored, rows), null);
    }

    private static (DatasetUpload?, UploadRefusal?) Refuse(string detail) => (null, new UploadRefusal(StatusCodes.Status400BadRequest, detail));
}
