using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Data.Entities;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Apis;

/// <summary>
/// Read shares: the team owning a dataset or task model grants another team read access (never write or promote).
/// Granting and removing need the editor role in the owning team; every change is audited.
/// </summary>
public static class SharesApi
{
    public static IEndpointRouteBuilder MapSharesApi(this IEndpointRouteBuilder app)
    {
        var datasets = app.MapGroup("/api/v1/datasets/{name}/shares").WithTags("Datasets").RequireApiRole(ApiKeyRole.Viewer);
        datasets.MapGet("/", ListDatasetShares).WithName(nameof(ListDatasetShares))
            .WithSummary("The teams a dataset is shared with (read only)").ProducesProblem(StatusCodes.Status404NotFound);
        datasets.MapPost("/", ShareDataset).RequireApiRole(ApiKeyRole.Editor).WithName(nameof(ShareDataset))
            .WithSummary("Let another team read a dataset and its versions {team}; audited")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        datasets.MapDelete("/{team}", UnshareDataset).RequireApiRole(ApiKeyRole.Editor).WithName(nameof(UnshareDataset))
            .WithSummary("Take a team's read access to a dataset back; audited")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        var tasks = app.MapGroup("/api/v1/task-models/{task}/shares").WithTags("Registry").RequireApiRole(ApiKeyRole.Viewer);
        tasks.MapGet("/", ListTaskModelShares).WithName(nameof(ListTaskModelShares))
            .WithSummary("The teams a task model is shared with (read only: versions, aliases, generation)").ProducesProblem(StatusCodes.Status404NotFound);
        tasks.MapPost("/", ShareTaskModel).RequireApiRole(ApiKeyRole.Editor).WithName(nameof(ShareTaskModel))
            .WithSummary("Let another team read a task model {team}: its versions and aliases, not promote them; audited")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        tasks.MapDelete("/{team}", UnshareTaskModel).RequireApiRole(ApiKeyRole.Editor).WithName(nameof(UnshareTaskModel))
            .WithSummary("Take a team's read access to a task model back; audited")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<ShareDto>>> ListDatasetShares(string name, ClaimsPrincipal user, ShareService shares, CancellationToken ct) =>
        TypedResults.Ok(await shares.ListDatasetSharesAsync(TeamCaller.Of(user), name, ct));

    public static async Task<Results<Created<ShareDto>, Ok<ShareDto>>> ShareDataset(
        string name, CreateShareRequest body, ClaimsPrincipal user, ShareService shares, CancellationToken ct) =>
        Answer(await shares.ShareDatasetAsync(TeamCaller.Of(user), name, body.Team, ct), $"/api/v1/datasets/{name}/shares");

    public static async Task<NoContent> UnshareDataset(string name, string team, ClaimsPrincipal user, ShareService shares, CancellationToken ct)
    {
        await shares.UnshareDatasetAsync(TeamCaller.Of(user), name, team, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<IReadOnlyList<ShareDto>>> ListTaskModelShares(string task, ClaimsPrincipal user, ShareService shares, CancellationToken ct) =>
        TypedResults.Ok(await shares.ListTaskModelSharesAsync(TeamCaller.Of(user), task, ct));

    public static async Task<Results<Created<ShareDto>, Ok<ShareDto>>> ShareTaskModel(
        string task, CreateShareRequest body, ClaimsPrincipal user, ShareService shares, CancellationToken ct) =>
        Answer(await shares.ShareTaskModelAsync(TeamCaller.Of(user), task, body.Team, ct), $"/api/v1/task-models/{task}/shares");

    public static async Task<NoContent> UnshareTaskModel(string task, string team, ClaimsPrincipal user, ShareService shares, CancellationToken ct)
    {
        await shares.UnshareTaskModelAsync(TeamCaller.Of(user), task, team, ct);
        return TypedResults.NoContent();
    }

    // A new share is created (201); granting one that exists changes nothing (200).
    private static Results<Created<ShareDto>, Ok<ShareDto>> Answer((ShareDto Share, bool Created) result, string list) =>
        result.Created ? TypedResults.Created($"{list}/{result.Share.Team}", result.Share) : TypedResults.Ok(result.Share);
}
