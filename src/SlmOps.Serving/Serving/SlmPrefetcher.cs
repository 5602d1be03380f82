using SlmOps.Data.Entities;

namespace SlmOps.Serving;

/// <summary>
/// Loads an SLM version into the <see cref="SlmCache"/> in the background as soon as an alias moves to it, so the
/// first request after a promotion or rollback finds it loaded instead of paying for the load. Only when its LLM is
/// already resident (this host serves it): a prefetch never brings up an LLM nobody asked for. A failed prefetch is
/// logged and forgotten; the next request loads (and reports) as usual.
/// </summary>
public sealed class SlmPrefetcher(ResidentLlms llms, SlmCache cache, ILogger<SlmPrefetcher> logger)
{
    /// <summary>Starts loading <paramref name="slm"/> (with its BaseModelVersion) and returns at once; the task completes when it is cached.</summary>
    public Task Prefetch(SlmVersion slm)
    {
        if (!SlmServer.IsFollower(slm) || !llms.TryGetResident(slm.BaseModelVersionId, out var llm)) return Task.CompletedTask;
        return Task.Run(async () =>
        {
            try
            {
                using var lease = await cache.LeaseAsync(slm.Id, slm.WeightsSha256, llm);
                logger.LogInformation("Prefetched SLM version {Id} after an alias move", slm.Id);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Prefetching SLM version {Id} failed; the next request for it will load it", slm.Id);
            }
        });
    }
}
