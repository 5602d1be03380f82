using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Data.Entities;
using SlmOps.Web.Registry;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Apis;

/// <summary>
/// The model registry, read-only: base models (LLMs) and task models (SLMs) with their immutable, numbered versions.
/// Versions are registered by runs, never edited; aliases are in <see cref="AliasesApi"/>.
/// </summary>
public static class RegistryApi
{
    public static IEndpointRouteBuilder MapRegistryApi(this IEndpointRouteBuilder app)
    {
        var bases = app.MapGroup("/api/v1/base-models").WithTags("Registry").RequireApiRole(ApiKeyRole.Viewer);
        bases.MapGet("/", ListBaseModels).WithName(nameof(ListBaseModels))
            .WithSummary("List base models (LLMs) with their newest version");
        bases.MapGet("/{name}", GetBaseModel).WithName(nameof(GetBaseModel))
            .WithSummary("A base model with all its versions, newest first").ProducesProblem(StatusCodes.Status404NotFound);
        bases.MapGet("/{name}/versions", ListBaseModelVersions).WithName(nameof(ListBaseModelVersions))
            .WithSummary("A base model's versions, newest first").ProducesProblem(StatusCodes.Status404NotFound);
        bases.MapGet("/{name}/versions/{version:int}", GetBaseModelVersion).WithName(nameof(GetBaseModelVersion))
            .WithSummary("One base model version: weights and tokenizer hashes, architecture, parameters, producing run, evaluation")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var tasks = app.MapGroup("/api/v1/task-models").WithTags("Registry").RequireApiRole(ApiKeyRole.Viewer);
        tasks.MapGet("/", ListTaskModels).WithName(nameof(ListTaskModels))
            .WithSummary("List the task models the key's team sees (its own and those shared with it; admins: all) with their newest SLM version and where their aliases point; team=NAME: only that team's");
        tasks.MapGet("/{task}", GetTaskModel).WithName(nameof(GetTaskModel))
            .WithSummary("A task model with all its SLM versions, newest first, and its aliases").ProducesProblem(StatusCodes.Status404NotFound);
        tasks.MapGet("/{task}/versions", ListSlmVersions).WithName(nameof(ListSlmVersions))
            .WithSummary("A task model's SLM versions, newest first").ProducesProblem(StatusCodes.Status404NotFound);
        tasks.MapGet("/{task}/versions/{version:int}", GetSlmVersion).WithName(nameof(GetSlmVersion))
            .WithSummary("One SLM version: base model version followed, coupling, dataset version, run, evaluation metrics, parameters")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<BaseModelDto>>> ListBaseModels(BaseModelQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListAsync(ct));

    public static async Task<Ok<BaseModelDetailDto>> GetBaseModel(string name, BaseModelQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.GetAsync(name, ct));

    public static async Task<Ok<IReadOnlyList<BaseModelVersionDto>>> ListBaseModelVersions(string name, BaseModelQueries queries, CancellationToken ct) =>
        TypedResults.Ok((await queries.GetAsync(name, ct)).Versions);

    public static async Task<Ok<BaseModelVersionDto>> GetBaseModelVersion(string name, int version, BaseModelQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.GetVersionAsync(name, version, ct));

    public static async Task<Ok<IReadOnlyList<TaskModelDto>>> ListTaskModels(
        ClaimsPrincipal user, TaskModelQueries queries, CancellationToken ct, string? team = null) =>
        TypedResults.Ok(await queries.ListAsync(TeamCaller.Of(user), ct, team));

    public static async Task<Ok<TaskModelDetailDto>> GetTaskModel(string task, ClaimsPrincipal user, TaskModelQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.GetAsync(TeamCaller.Of(user), task, ct));

    public static async Task<Ok<IReadOnlyList<SlmVersionDto>>> ListSlmVersions(string task, ClaimsPrincipal user, TaskModelQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListVersionsAsync(TeamCaller.Of(user), task, ct));

    public static async Task<Ok<SlmVersionDto>> GetSlmVersion(string task, int version, ClaimsPrincipal user, TaskModelQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.GetVersionAsync(TeamCaller.Of(user), task, version, ct));
}
