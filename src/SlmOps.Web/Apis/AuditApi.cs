using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Registry;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Apis;

/// <summary>
/// The append-only audit log: who changed what (alias moves, keys, teams, shares, ...), with before/after snapshots and the
/// team each entry is about. A team's keys read their own team's entries; admins read every team's, and the key and
/// webhook entries, which are theirs alone.
/// </summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/audit").WithTags("Audit").RequireApiRole(ApiKeyRole.Viewer)
            .MapGet("/", ListAudit).WithName(nameof(ListAudit))
            .WithSummary($"Audit entries of the key's team (admins: every team's), newest first; filters entityKind, task (its aliases), team, since (ISO time); " +
                         $"paging offset and limit (1 to {AuditQueries.MaxLimit}, default 50). Entries about {string.Join(" and ", AuditEntityKinds.AdminOnly)}s are listed to admins only")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Ok<AuditPageDto>> ListAudit(
        string? entityKind, string? task, string? team, DateTimeOffset? since, AuditQueries queries, ClaimsPrincipal user, CancellationToken ct,
        int offset = 0, int limit = 50) =>
        TypedResults.Ok(await queries.ListAsync(TeamCaller.Of(user), new AuditFilter(entityKind, task, since, offset, limit, team), ct));
}
