using System.Collections.Concurrent;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Tests.Sweeper;

/// <summary>Stands in for the RabbitMQ dispatcher: records each call and answers like it (true while the run is Queued).</summary>
internal sealed class RecordingDispatcher(TestDatabase database) : IRunDispatcher
{
    public ConcurrentQueue<Guid> Calls { get; } = new();

    /// <summary>Gang ranks offered: (run, attempt, rank).</summary>
    public ConcurrentQueue<(Guid RunId, int Attempt, int Rank)> RankOffers { get; } = new();

    public Task DispatchRankAsync(Guid runId, int attempt, int rank, CancellationToken cancellationToken)
    {
        RankOffers.Enqueue((runId, attempt, rank));
        return Task.CompletedTask;
    }

    public async Task<bool> DispatchAsync(Guid runId, CancellationToken cancellationToken)
    {
        Calls.Enqueue(runId);
        var queued = await database.ScalarAsync<long>(
            "SELECT count(*) FROM runs WHERE id = $1 AND status = 'Queued'", runId);
        if (queued == 0) return false;
        await database.ExecuteAsync("UPDATE runs SET dispatched_at = now() WHERE id = $1", runId);
        return true;
    }
}
