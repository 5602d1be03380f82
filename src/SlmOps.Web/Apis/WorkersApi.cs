using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Apis;

/// <summary>
/// A worker as the API shows it; <c>Online</c> means it reported within Workers:OnlineWithinSeconds. Workers serve every
/// team; the current run is named only to a caller whose team sees it.
/// </summary>
public sealed record WorkerDto(
    string Name, string Device, int Slots, Guid? CurrentRunId, string? CurrentRunName, string? CodeVersion,
    DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, bool Online);

/// <summary>The workers that take runs off the queue.</summary>
public static class WorkersApi
{
    public const string OnlineWithinSetting = "Workers:OnlineWithinSeconds";
    public const int DefaultOnlineWithinSeconds = 60;

    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/workers").WithTags("Workers").RequireApiRole(ApiKeyRole.Viewer)
            .MapGet("/", ListWorkers).WithName(nameof(ListWorkers))
            .WithSummary("Workers seen within Workers:OnlineWithinSeconds (default 60), with device, slots and current run; includeOffline=true lists all");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<WorkerDto>>> ListWorkers(
        ClaimsPrincipal user, SlmOpsDbContext db, TeamAccess access, IConfiguration configuration, CancellationToken cancellation, bool includeOffline = false) =>
        TypedResults.Ok(await ReadAsync(db, access, TeamCaller.Of(user), configuration, includeOffline, cancellation));

    /// <summary>The workers (the dashboard's overview reads them here too).</summary>
    public static async Task<IReadOnlyList<WorkerDto>> ReadAsync(
        SlmOpsDbContext db, TeamAccess access, TeamCaller caller, IConfiguration configuration, bool includeOffline, CancellationToken cancellation)
    {
        var within = configuration.GetValue(OnlineWithinSetting, DefaultOnlineWithinSeconds);
        var onlineSince = DateTimeOffset.UtcNow.AddSeconds(-within);
        var visible = access.Runs(caller);
        return await db.Workers.AsNoTracking()
            .Where(w => includeOffline || w.LastSeenAt >= onlineSince)
            .OrderBy(w => w.Name)
            .Select(w => new WorkerDto(
                w.Name, w.Device, w.Slots, visible.Where(r => r.Id == w.CurrentRunId).Select(r => (Guid?)r.Id).FirstOrDefault(),
                visible.Where(r => r.Id == w.CurrentRunId).Select(r => r.Name).FirstOrDefault(),
                w.CodeVersion, w.StartedAt, w.LastSeenAt, w.LastSeenAt >= onlineSince))
            .ToListAsync(cancellation);
    }
}
