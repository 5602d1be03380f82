using MassTransit;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts.Events;
using SlmOps.Data;

namespace SlmOps.Web.Registry;

/// <summary>
/// Hears every alias change (inside its transaction) and announces it on the broker as <see cref="AliasMoved"/>, so
/// every serving host of this deployment prefetches the version the alias now names (SlmOps.Serving's
/// AliasMovedPrefetch). Should the transaction roll back, the only effect is one extra SLM in some caches. Best effort:
/// a broker that is down does not stop the alias change; the serving hosts then load the version on first use.
/// </summary>
internal sealed class AliasMovedPublisher(DeploymentIdentity deployment, IPublishEndpoint publisher, ILogger<AliasMovedPublisher> logger)
    : IAliasChangeRecorder
{
    public async Task RecordAsync(SlmOpsDbContext db, AliasChange change, CancellationToken ct)
    {
        try
        {
            long? slmVersionId = change.ToVersion is { } version
                ? await db.SlmVersions.AsNoTracking().Where(v => v.TaskModel.Name == change.Task && v.Version == version)
                    .Select(v => (long?)v.Id).SingleOrDefaultAsync(ct)
                : null;
            var moved = new AliasMoved(await deployment.GetAsync(ct), change.Task, change.Alias, change.FromVersion, change.ToVersion,
                slmVersionId, change.At);
            await publisher.Publish(moved, ct);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning("Could not announce the move of {Task}/{Alias} to the serving hosts (they load the version on first use): {Reason}",
                change.Task, change.Alias, error.GetBaseException().Message);
        }
    }
}
