using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Data.Entities;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Apis;

/// <summary>The append-only audit log: who changed what (alias moves, keys, ...), with before/after snapshots.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/audit").WithTags("Audit").RequireApiRole(ApiKeyRole.Viewer)
            .MapGet("/", ListAudit).WithName(nameof(ListAudit))
            .WithSummary($"Audit entries, newest first; filters entityKind, task (its aliases), since (ISO time); paging offset and limit (1 to {AuditQueries.MaxLimit}, default 50)")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Ok<AuditPageDto>> ListAudit(
        string? entityKind, string? task, DateTimeOffset? since, AuditQueries queries, CancellationToken ct, int offset = 0, int limit = 50) =>
        TypedResults.Ok(await queries.ListAsync(new AuditFilter(entityKind, task, since, offset, limit), ct));
}
