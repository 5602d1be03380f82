using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using SlmOps.Data.Entities;
using SlmOps.Web.Registry;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Apis;

/// <summary>
/// Aliases of a task model (production, staging, any name): resolve, promote (PUT), roll back, delete, history, and a
/// dry run of the production promotion gate. Every change is audited.
/// </summary>
public static class AliasesApi
{
    /// <summary>Body of PUT .../aliases/{alias}: the version (number in this task, or slmVersionId), and force with a reason to override the gate.</summary>
    public sealed record SetAliasBody(int? Version, long? SlmVersionId, bool? Force, string? Reason);

    /// <summary>Body of POST .../rollback.</summary>
    public sealed record RollbackAliasBody(string? Reason);

    /// <summary>An alias with the version it resolves to.</summary>
    public sealed record ResolvedAliasDto(AliasDto Alias, SlmVersionDto Target);

    public static IEndpointRouteBuilder MapAliasesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/task-models/{task}/aliases").WithTags("Aliases").RequireApiRole(ApiKeyRole.Viewer);
        group.MapGet("/", ListAliases).WithName(nameof(ListAliases))
            .WithSummary("A task model's aliases and the versions they point at").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{alias}", GetAlias).WithName(nameof(GetAlias))
            .WithSummary("Resolve an alias to its SLM version").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{alias}", SetAlias).RequireApiRole(ApiKeyRole.Promoter).WithName(nameof(SetAlias))
            .WithSummary("Point an alias at a version (create, or move = promote). 'production' is gated on evaluation unless force=true with a reason")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{alias}", DeleteAlias).RequireApiRole(ApiKeyRole.Promoter).WithName(nameof(DeleteAlias))
            .WithSummary("Remove an alias (optional ?reason=); its history stays").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{alias}/rollback", RollbackAlias).RequireApiRole(ApiKeyRole.Promoter).WithName(nameof(RollbackAlias))
            .WithSummary("Move an alias back to the version it pointed at before its last move (twice toggles back); not gated")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{alias}/history", GetAliasHistory).WithName(nameof(GetAliasHistory))
            .WithSummary("Every move of an alias, newest first").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{alias}/gate", CheckAliasGate).WithName(nameof(CheckAliasGate))
            .WithSummary("Would ?version=n pass the promotion gate for this alias now? Changes nothing")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<AliasDto>>> ListAliases(string task, ClaimsPrincipal user, AliasService aliases, CancellationToken ct) =>
        TypedResults.Ok(await aliases.ListAsync(TeamCaller.Of(user), task, ct));

    public static async Task<Ok<ResolvedAliasDto>> GetAlias(
        string task, string alias, ClaimsPrincipal user, SlmVersionResolver resolver, AliasService aliases, TaskModelQueries queries, CancellationToken ct)
    {
        var caller = TeamCaller.Of(user);
        var found = await aliases.GetAsync(caller, task, alias, ct); // 404 for a task the caller does not see
        var resolved = await resolver.ResolveAsync(task, alias, null, ct);
        return TypedResults.Ok(new ResolvedAliasDto(found, await queries.GetVersionAsync(caller, task, resolved.Version, ct)));
    }

    public static async Task<Ok<AliasDto>> SetAlias(
        string task, string alias, SetAliasBody body, ClaimsPrincipal user, AliasService aliases, CancellationToken ct) =>
        TypedResults.Ok(await aliases.SetAsync(task, alias,
            new SetAliasRequest(body.Version, body.SlmVersionId, body.Force ?? false, body.Reason), TeamCaller.Of(user), ct));

    public static async Task<NoContent> DeleteAlias(
        string task, string alias, string? reason, ClaimsPrincipal user, AliasService aliases, CancellationToken ct)
    {
        await aliases.DeleteAsync(task, alias, reason, TeamCaller.Of(user), ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<AliasDto>> RollbackAlias(
        string task, string alias, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RollbackAliasBody? body,
        ClaimsPrincipal user, AliasService aliases, CancellationToken ct) =>
        TypedResults.Ok(await aliases.RollbackAsync(task, alias, body?.Reason, TeamCaller.Of(user), ct));

    public static async Task<Ok<IReadOnlyList<AliasHistoryDto>>> GetAliasHistory(
        string task, string alias, ClaimsPrincipal user, AliasService aliases, CancellationToken ct) =>
        TypedResults.Ok(await aliases.HistoryAsync(TeamCaller.Of(user), task, alias, ct));

    public static async Task<Ok<GateResultDto>> CheckAliasGate(
        string task, string alias, int? version, ClaimsPrincipal user, AliasService aliases, CancellationToken ct) =>
        TypedResults.Ok(await aliases.CheckGateAsync(TeamCaller.Of(user), task, alias, version, ct));
}
