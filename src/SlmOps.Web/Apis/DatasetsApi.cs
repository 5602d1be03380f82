using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Data.Entities;
using SlmOps.Web.Artifacts;
using SlmOps.Web.Datasets;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Apis;

/// <summary>Upload, list, preview and delete datasets and their numbered versions.</summary>
public static class DatasetsApi
{
    // Room for the multipart boundaries and form fields around the file itself.
    private const long MultipartOverheadBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/datasets").WithTags("Datasets").RequireApiRole(ApiKeyRole.Viewer);

        group.MapPost("/", UploadDataset).RequireApiRole(ApiKeyRole.Editor).WithName(nameof(UploadDataset))
            .WithSummary("Upload a text dataset (multipart: file, name, optional format text|jsonl|csv and description) into the key's team; a known name of the team gets its next version")
            .Accepts<DatasetUploadForm>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/", ListDatasets).WithName(nameof(ListDatasets))
            .WithSummary("List the datasets the key's team sees (its own and those shared with it; admins: all) with their newest version; team=NAME: only that team's");
        group.MapGet("/{name}", GetDataset).WithName(nameof(GetDataset))
            .WithSummary("A dataset with all its versions, newest first");
        group.MapGet("/{name}/versions/{version:int}", GetDatasetVersion).WithName(nameof(GetDatasetVersion))
            .WithSummary("One version of a dataset");
        group.MapGet("/{name}/versions/{version:int}/preview", PreviewDatasetVersion).WithName(nameof(PreviewDatasetVersion))
            .WithSummary($"The first lines of a version's file (lines: 1 to {DatasetPreviewReader.MaxLines}, default 20)");
        group.MapDelete("/{name}/versions/{version:int}", DeleteDatasetVersion).RequireApiRole(ApiKeyRole.Editor).WithName(nameof(DeleteDatasetVersion))
            .WithSummary("Delete a version no run or model refers to; its file goes when nothing else refers to it")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Created<DatasetVersionDto>, ProblemHttpResult>> UploadDataset(
        HttpContext context, MultipartDatasetReader reader, DatasetVersionWriter writer, DatasetQueries queries,
        DatasetOptions options, CancellationToken cancellation)
    {
        // The store enforces the configured limit while it streams; Kestrel's own (smaller) default must not cut first.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = options.MaxUploadBytes + MultipartOverheadBytes;
        }
        if (context.Request.ContentLength > options.MaxUploadBytes + MultipartOverheadBytes)
        {
            return ApiProblems.PayloadTooLarge(options.MaxUploadBytes, DatasetOptions.MaxUploadBytesSetting);
        }

        var (upload, refusal) = await reader.ReadAsync(context.Request, options.MaxUploadBytes, cancellation);
        if (refusal is not null)
        {
            return refusal.Status == StatusCodes.Status413PayloadTooLarge
                ? ApiProblems.PayloadTooLarge(options.MaxUploadBytes, DatasetOptions.MaxUploadBytesSetting)
                : ApiProblems.BadRequest(refusal.Detail, "The dataset upload was refused");
        }

        long id;
        try
        {
            id = await writer.AddVersionAsync(upload!, TeamCaller.Of(context.User), cancellation);
        }
        catch (Exception refused) when (refused is TeamAccessDeniedException or DatasetNameTakenException)
        {
            await writer.DiscardIfUnreferencedAsync(upload!.Artifact.Sha256, CancellationToken.None);
            return refused is TeamAccessDeniedException denied
                ? TeamProblems.Forbidden(denied.Decision)
                : ApiProblems.Conflict(refused.Message, "The dataset name is taken");
        }
        catch (ArtifactVanishedException vanished)
        {
            return ApiProblems.Conflict(vanished.Message, "Upload raced a delete");
        }
        var version = (await queries.FindVersionAsync(id, cancellation))!;
        var dto = DatasetVersionDto.From(upload!.Name, version);
        return TypedResults.Created($"/api/v1/datasets/{dto.Dataset}/versions/{dto.Version}", dto);
    }

    public static async Task<Ok<IReadOnlyList<DatasetDto>>> ListDatasets(
        ClaimsPrincipal user, DatasetQueries queries, CancellationToken cancellation, string? team = null) =>
        TypedResults.Ok(await queries.ListAsync(TeamCaller.Of(user), cancellation, team));

    public static async Task<Results<Ok<DatasetDetailDto>, ProblemHttpResult>> GetDataset(
        string name, ClaimsPrincipal user, DatasetQueries queries, CancellationToken cancellation) =>
        await queries.GetAsync(TeamCaller.Of(user), name, cancellation) is { } dataset
            ? TypedResults.Ok(dataset)
            : DatasetNotFound(name);

    public static async Task<Results<Ok<DatasetVersionDto>, ProblemHttpResult>> GetDatasetVersion(
        string name, int version, ClaimsPrincipal user, DatasetQueries queries, CancellationToken cancellation) =>
        await queries.FindVersionAsync(TeamCaller.Of(user), name, version, cancellation) is { } found
            ? TypedResults.Ok(DatasetVersionDto.From(name, found))
            : await VersionNotFound(TeamCaller.Of(user), name, version, queries, cancellation);

    public static async Task<Results<Ok<DatasetPreviewDto>, ProblemHttpResult>> PreviewDatasetVersion(
        string name, int version, ClaimsPrincipal user, DatasetQueries queries, DatasetPreviewReader preview, CancellationToken cancellation, int lines = 20)
    {
        if (lines is < 1 or > DatasetPreviewReader.MaxLines)
        {
            return ApiProblems.BadRequest($"lines must be between 1 and {DatasetPreviewReader.MaxLines}; got {lines}.");
        }
        if (await queries.FindVersionAsync(TeamCaller.Of(user), name, version, cancellation) is not { } found)
        {
            return await VersionNotFound(TeamCaller.Of(user), name, version, queries, cancellation);
        }
        var (text, hasMore) = await preview.ReadAsync(found.Sha256, lines, cancellation);
        return TypedResults.Ok(new DatasetPreviewDto(name, version, text, hasMore));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDatasetVersion(
        string name, int version, ClaimsPrincipal user, DatasetQueries queries, DatasetVersionWriter writer, CancellationToken cancellation)
    {
        var caller = TeamCaller.Of(user);
        var access = await queries.AccessAsync(caller, TeamRight.Write, name, cancellation);
        if (access is not { Allowed: true })
        {
            return access is null ? DatasetNotFound(name) : TeamProblems.Refused(access, () => DatasetNotFound(name));
        }
        if (await queries.FindVersionAsync(caller, name, version, cancellation) is not { } found)
        {
            return await VersionNotFound(caller, name, version, queries, cancellation);
        }
        return await writer.DeleteVersionAsync(found.Id, found.Sha256, cancellation)
            ? TypedResults.NoContent()
            : ApiProblems.Conflict(
                $"Dataset {name} version {version} is used by a run or a model version (see GET /api/v1/lineage?kind=dataset_version&id={found.Id}); delete those first.",
                "The dataset version is in use");
    }

    private static ProblemHttpResult DatasetNotFound(string name) =>
        ApiProblems.NotFound($"There is no dataset named '{name}'. GET /api/v1/datasets lists them.", "Dataset not found");

    private static async Task<ProblemHttpResult> VersionNotFound(TeamCaller caller, string name, int version, DatasetQueries queries, CancellationToken cancellation) =>
        await queries.ExistsAsync(caller, name, cancellation)
            ? ApiProblems.NotFound($"Dataset '{name}' has no version {version}. GET /api/v1/datasets/{name} lists its versions.", "Dataset version not found")
            : DatasetNotFound(name);
}
