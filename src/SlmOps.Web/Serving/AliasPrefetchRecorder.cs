using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Serving;

/// <summary>
/// Hears every alias change (inside its transaction) and prefetches the version the alias now names. Should the
/// transaction roll back, the only effect is one extra SLM in the cache.
/// </summary>
internal sealed class AliasPrefetchRecorder(SlmPrefetcher prefetcher) : IAliasChangeRecorder
{
    public async Task RecordAsync(SlmOpsDbContext db, AliasChange change, CancellationToken ct)
    {
        if (change.ToVersion is not { } version) return;
        var slm = await db.SlmVersions.AsNoTracking().Include(v => v.BaseModelVersion)
            .SingleOrDefaultAsync(v => v.TaskModel.Name == change.Task && v.Version == version, ct);
        if (slm is not null) _ = prefetcher.Prefetch(slm);
    }
}
