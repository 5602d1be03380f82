using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Apis;

/// <summary>A worker as the API shows it; <c>Online</c> means it reported within Workers:OnlineWithinSeconds.</summary>
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
        SlmOpsDbContext db, IConfiguration configuration, CancellationToken cancellation, bool includeOffline = false)
    {
        var within = configuration.GetValue(OnlineWithinSetting, DefaultOnlineWithinSeconds);
        var onlineSince = DateTimeOffset.UtcNow.AddSeconds(-within);
        var workers = await db.Workers.AsNoTracking()
            .Where(w => includeOffline || w.LastSeenAt >= onlineSince)
            .OrderBy(w => w.Name)
            .Select(w => new WorkerDto(
                w.Name, w.Device, w.Slots, w.CurrentRunId,
                db.Runs.Where(r => r.Id == w.CurrentRunId).Select(r => r.Name).FirstOrDefault(),
                w.CodeVersion, w.StartedAt, w.LastSeenAt, w.LastSeenAt >= onlineSince))
            .ToListAsync(cancellation);
        return TypedResults.Ok<IReadOnlyList<WorkerDto>>(workers);
    }
}
