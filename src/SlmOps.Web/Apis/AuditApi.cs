using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Apis;

/// <summary>The append-only audit log: who changed what (alias moves, keys, ...), with before/after snapshots. Key and webhook entries are read by admins only.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/audit").WithTags("Audit").RequireApiRole(ApiKeyRole.Viewer)
            .MapGet("/", ListAudit).WithName(nameof(ListAudit))
            .WithSummary($"Audit entries, newest first; filters entityKind, task (its aliases), since (ISO time); paging offset and limit (1 to {AuditQueries.MaxLimit}, default 50). " +
                         $"Entries about {string.Join(" and ", AuditEntityKinds.AdminOnly)}s are listed to admins only")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Ok<AuditPageDto>> ListAudit(
        string? entityKind, string? task, DateTimeOffset? since, AuditQueries queries, ClaimsPrincipal user, CancellationToken ct,
        int offset = 0, int limit = 50) =>
        TypedResults.Ok(await queries.ListAsync(
            new AuditFilter(entityKind, task, since, offset, limit, IncludeAdminOnly: ApiRoles.Of(user) == ApiKeyRole.Admin), ct));
}
