using MassTransit;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts.Events;
using SlmOps.Data;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Serving;

/// <summary>
/// Hears every alias change (inside its transaction), prefetches the version the alias now names on this instance, and
/// announces the move on the broker so the other web instances of this deployment prefetch it too
/// (<see cref="AliasMovedPrefetch"/>). Should the transaction roll back, the only effect is one extra SLM in some caches.
/// Both are best effort: a broker that is down does not stop the alias change.
/// </summary>
internal sealed class AliasPrefetchRecorder(
    SlmPrefetcher prefetcher, DeploymentIdentity deployment, IPublishEndpoint publisher, ILogger<AliasPrefetchRecorder> logger)
    : IAliasChangeRecorder
{
    public async Task RecordAsync(SlmOpsDbContext db, AliasChange change, CancellationToken ct)
    {
        long? slmVersionId = null;
        if (change.ToVersion is { } version)
        {
            var slm = await db.SlmVersions.AsNoTracking().Include(v => v.BaseModelVersion)
                .SingleOrDefaultAsync(v => v.TaskModel.Name == change.Task && v.Version == version, ct);
            if (slm is not null)
            {
                _ = prefetcher.Prefetch(slm);
                slmVersionId = slm.Id;
            }
        }
        try
        {
            var moved = new AliasMoved(await deployment.GetAsync(ct), change.Task, change.Alias, change.FromVersion, change.ToVersion,
                slmVersionId, change.At);
            await publisher.Publish(moved, ct);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning("Could not announce the move of {Task}/{Alias} to the other web instances (they load the version on first use): {Reason}",
                change.Task, change.Alias, error.GetBaseException().Message);
        }
    }
}
