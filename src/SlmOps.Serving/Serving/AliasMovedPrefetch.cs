using MassTransit;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts.Events;
using SlmOps.Data;

namespace SlmOps.Serving;

/// <summary>
/// Runs on every web instance (its own temporary queue, <see cref="Live.RunEventEndpoint"/>): an alias moved by any
/// instance of this deployment makes this one prefetch the version too, so the first request after a promotion finds
/// it loaded whichever instance it reaches. Moves from another deployment on the same broker are ignored.
/// </summary>
public sealed class AliasMovedPrefetch(
    IDbContextFactory<SlmOpsDbContext> contexts, DeploymentIdentity deployment, SlmPrefetcher prefetcher, ILogger<AliasMovedPrefetch> logger)
    : IConsumer<AliasMoved>
{
    public async Task Consume(ConsumeContext<AliasMoved> context)
    {
        var moved = context.Message;
        if (moved.SlmVersionId is not { } id || moved.Deployment != await deployment.GetAsync(context.CancellationToken)) return;
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        var slm = await db.SlmVersions.AsNoTracking().Include(v => v.BaseModelVersion)
            .SingleOrDefaultAsync(v => v.Id == id, context.CancellationToken);
        if (slm is null)
        {
            logger.LogWarning("Alias {Task}/{Alias} moved to SLM version {Id}, which this instance's registry does not have", moved.Task, moved.Alias, id);
            return;
        }
        _ = prefetcher.Prefetch(slm);
    }
}
