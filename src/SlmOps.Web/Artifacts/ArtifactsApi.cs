using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Npgsql;
using SlmOps.Data.Artifacts;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Artifacts;

/// <summary>
/// The artifact service: content-addressed files by SHA-256, so remote workers fetch inputs and upload checkpoints
/// and models with nothing but the web host's URL and a worker key. The hash in the URL is the file's identity: a GET
/// can be verified by the caller and an upload is verified here before it is committed.
/// </summary>
public static class ArtifactsApi
{
    public const string Route = "/api/v1/artifacts";
    private const string OctetStream = "application/octet-stream";

    public static IEndpointRouteBuilder MapArtifactsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Route).WithTags("Artifacts").RequireApiRoleOrWorker(ApiKeyRole.Viewer);
        group.MapMethods("/{sha256}", [HttpMethods.Head], HeadArtifact).WithName(nameof(HeadArtifact))
            .WithSummary("Whether a file is stored: 200 with Content-Length and ETag \"<sha256>\", 404 when it is not")
            .Produces(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status400BadRequest);
        group.MapGet("/{sha256}", GetArtifact).WithName(nameof(GetArtifact))
            .WithSummary("Download a stored file; HTTP Range requests get 206, so an interrupted download resumes")
            .Produces(StatusCodes.Status200OK, typeof(Stream), OctetStream)
            .Produces(StatusCodes.Status206PartialContent, typeof(Stream), OctetStream)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{sha256}", PutArtifact).RequireApiRoleOrWorker(ApiKeyRole.Editor).WithName(nameof(PutArtifact))
            .WithSummary($"Upload a file as the raw body, named by its SHA-256 (checked here); up to {ArtifactOptions.MaxUploadBytesSetting} bytes. " +
                         "201 when stored now, 200 when the same bytes were already stored")
            .Accepts<Stream>(OctetStream, "*/*")
            // The body is streamed to disk and limited by Artifacts:MaxUploadBytes, not by Kestrel's 30 MB default.
            .WithMetadata(new DisableRequestSizeLimitAttribute())
            .Produces<ArtifactDto>(StatusCodes.Status201Created)
            .Produces<ArtifactDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    public static Results<Ok, NotFound, BadRequest> HeadArtifact(string sha256, IArtifactStore store, HttpResponse response)
    {
        if (Normalized(sha256) is not { } sha) return TypedResults.BadRequest();
        if (Open(store, sha) is not { } file) return TypedResults.NotFound();
        using (file) response.ContentLength = file.Length;
        response.ContentType = OctetStream;
        response.Headers.ETag = ETagOf(sha).ToString();
        response.Headers.AcceptRanges = "bytes";
        return TypedResults.Ok();
    }

    public static Results<FileStreamHttpResult, ProblemHttpResult> GetArtifact(string sha256, IArtifactStore store)
    {
        if (Normalized(sha256) is not { } sha) return NotSha256(sha256);
        return Open(store, sha) is { } file
            ? TypedResults.File(file, OctetStream, entityTag: ETagOf(sha), enableRangeProcessing: true)
            : NotStored(sha);
    }

    public static async Task<Results<Created<ArtifactDto>, Ok<ArtifactDto>, ProblemHttpResult>> PutArtifact(
        string sha256, HttpRequest request, IArtifactStore store, NpgsqlDataSource database, ArtifactOptions options,
        CancellationToken cancellation)
    {
        if (Normalized(sha256) is not { } sha) return NotSha256(sha256);
        var limit = options.MaxUploadBytes;
        if (request.ContentLength > limit) return ApiProblems.PayloadTooLarge(limit, ArtifactOptions.MaxUploadBytesSetting);

        StoredArtifact stored;
        try
        {
            stored = await store.PutAsync(request.Body, limit, sha, cancellation);
        }
        catch (ArtifactTooLargeException)
        {
            return ApiProblems.PayloadTooLarge(limit, ArtifactOptions.MaxUploadBytesSetting);
        }
        catch (ArtifactHashMismatchException mismatch)
        {
            return ApiProblems.BadRequest(
                $"The URL names SHA-256 {mismatch.ExpectedSha256}, but the {mismatch.SizeBytes:N0} bytes received hash to {mismatch.ActualSha256}. " +
                "Nothing was stored; upload the file under the hash of its bytes.",
                "The body does not match the hash in the URL",
                new Dictionary<string, object?> { ["expectedSha256"] = mismatch.ExpectedSha256, ["actualSha256"] = mismatch.ActualSha256 });
        }

        try
        {
            await ArtifactRows.RecordAsync(database, store, stored, request.ContentType is { Length: > 0 } type ? type : OctetStream, cancellation);
        }
        catch (ArtifactVanishedException vanished)
        {
            return ApiProblems.Conflict(vanished.Message, "Upload raced a delete");
        }
        var dto = new ArtifactDto(stored.Sha256, stored.SizeBytes, stored.Created);
        return stored.Created ? TypedResults.Created($"{Route}/{sha}", dto) : TypedResults.Ok(dto);
    }

    /// <summary>The lowercase form of a 64-hex-digit SHA-256 (either case accepted); null for anything else.</summary>
    public static string? Normalized(string text) =>
        text.Length == 64 && text.All(char.IsAsciiHexDigit) ? text.ToLowerInvariant() : null;

    private static EntityTagHeaderValue ETagOf(string sha256) => new($"\"{sha256}\"");

    // Opened rather than checked, so a file deleted between a check and the read is simply not found.
    private static Stream? Open(IArtifactStore store, string sha256)
    {
        try
        {
            return store.OpenRead(sha256);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static ProblemHttpResult NotSha256(string text) => ApiProblems.BadRequest(
        $"'{text}' is not a SHA-256: artifacts are named by the 64 hex digits of the SHA-256 of their bytes.", "Not an artifact hash");

    private static ProblemHttpResult NotStored(string sha256) => ApiProblems.NotFound(
        $"No artifact with SHA-256 {sha256} is stored. Upload it with PUT {Route}/{sha256}.", "Artifact not found");
}
