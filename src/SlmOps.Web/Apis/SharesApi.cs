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

    public static Task<Ok<IReadOnlyList<ShareDto>>> ListDatasetShares(string name, ClaimsPrincipal user, ShareService shares, CancellationToken ct) =>
        List(ShareKind.Dataset, name, user, shares, ct);

    public static Task<Results<Created<ShareDto>, Ok<ShareDto>>> ShareDataset(
        string name, CreateShareRequest body, ClaimsPrincipal user, ShareService shares, CancellationToken ct) =>
        Share(ShareKind.Dataset, name, body, user, shares, ct);

    public static Task<NoContent> UnshareDataset(string name, string team, ClaimsPrincipal user, ShareService shares, CancellationToken ct) =>
        Unshare(ShareKind.Dataset, name, team, user, shares, ct);

    public static Task<Ok<IReadOnlyList<ShareDto>>> ListTaskModelShares(string task, ClaimsPrincipal user, ShareService shares, CancellationToken ct) =>
        List(ShareKind.TaskModel, task, user, shares, ct);

    public static Task<Results<Created<ShareDto>, Ok<ShareDto>>> ShareTaskModel(
        string task, CreateShareRequest body, ClaimsPrincipal user, ShareService shares, CancellationToken ct) =>
        Share(ShareKind.TaskModel, task, body, user, shares, ct);

    public static Task<NoContent> UnshareTaskModel(string task, string team, ClaimsPrincipal user, ShareService shares, CancellationToken ct) =>
        Unshare(ShareKind.TaskModel, task, team, user, shares, ct);

    private static async Task<Ok<IReadOnlyList<ShareDto>>> List(ShareKind kind, string name, ClaimsPrincipal user, ShareService shares, CancellationToken ct) =>
        TypedResults.Ok(await shares.ListAsync(TeamCaller.Of(user), kind, name, ct));

    // A new share is created (201); granting one that exists changes nothing (200).
    private static async Task<Results<Created<ShareDto>, Ok<ShareDto>>> Share(
        ShareKind kind, string name, CreateShareRequest body, ClaimsPrincipal user, ShareService shares, CancellationToken ct)
    {
        var (share, created) = await shares.ShareAsync(TeamCaller.Of(user), kind, name, body.Team, ct);
        var list = kind == ShareKind.Dataset ? $"/api/v1/datasets/{name}/shares" : $"/api/v1/task-models/{name}/shares";
        return created ? TypedResults.Created($"{list}/{share.Team}", share) : TypedResults.Ok(share);
    }

    private static async Task<NoContent> Unshare(ShareKind kind, string name, string team, ClaimsPrincipal user, ShareService shares, CancellationToken ct)
    {
        await shares.UnshareAsync(TeamCaller.Of(user), kind, name, team, ct);
        return TypedResults.NoContent();
    }
}
