namespace SlmOps.Web.Tracking.Gangs;

/// <summary>The statements that move a gang's run; each is one statement, so a worker's report never interleaves with it.</summary>
internal static class GangSql
{
    /// <summary>
    /// Gangs that did not form: Running runs whose current attempt is a gang (rank 0 claimed before @cutoff) with a rank
    /// that has not joined; with @runId, only that run at @attempt. Each goes back to Queued at the attempt before (a
    /// gang that never trained uses no attempt), its rank rows are deleted (every claim released), and a run_events line
    /// says which ranks were held, where rank 0's store was and why. A run whose cancel was asked for is left to end as
    /// Cancelled (its rank 0 reports it, or the lost-worker sweep ends it).
    /// </summary>
    public const string ReleaseUnformed = """
        WITH unformed AS (
            SELECT r.id, r.attempt, k0.world_size, k0.store_address,
                   (SELECT count(*) FROM run_ranks k WHERE k.run_id = r.id AND k.attempt = r.attempt AND k.worker_name IS NOT NULL) AS claimed,
                   (SELECT count(*) FROM run_ranks k WHERE k.run_id = r.id AND k.attempt = r.attempt AND k.joined_at IS NOT NULL) AS joined,
                   (SELECT string_agg(format('rank %s on %s', k.rank, k.worker_name), ', ' ORDER BY k.rank)
                    FROM run_ranks k WHERE k.run_id = r.id AND k.attempt = r.attempt AND k.worker_name IS NOT NULL) AS holders
            FROM runs r
            JOIN run_ranks k0 ON k0.run_id = r.id AND k0.attempt = r.attempt AND k0.rank = 0 AND NOT k0.local
            WHERE r.status = 'Running' AND k0.claimed_at < @cutoff AND r.cancel_requested_at IS NULL
              AND (@runId::uuid IS NULL OR (r.id = @runId AND r.attempt = @attempt))
              AND EXISTS (SELECT 1 FROM run_ranks k WHERE k.run_id = r.id AND k.attempt = r.attempt AND k.joined_at IS NULL)
            ORDER BY r.id
            FOR UPDATE OF r SKIP LOCKED
        ), moved AS (
            UPDATE runs r SET status = 'Queued', attempt = r.attempt - 1, queued_at = @now, dispatched_at = NULL,
                              worker_name = NULL, heartbeat_at = NULL
            FROM unformed u
            WHERE r.id = u.id AND r.status = 'Running' AND r.attempt = u.attempt
            RETURNING r.id, u.attempt, u.world_size, u.store_address, u.claimed, u.joined, u.holders
        ), released AS (
            DELETE FROM run_ranks k USING moved m WHERE k.run_id = m.id AND k.attempt = m.attempt
        ), logged AS (
            INSERT INTO run_events (run_id, attempt, level, message, at)
            SELECT id, attempt, 'warning',
                   format('The gang of %s ranks did not form (%s): %s of %s ranks were claimed (%s), %s joined; rank 0''s store: %s. '
                          || 'Every claim is released and the run is back in the queue without using an attempt; it starts when %s workers can each take a rank.',
                          world_size, @why, claimed, world_size, COALESCE(holders, 'none'), joined,
                          COALESCE(store_address, 'not published yet'), world_size),
                   @now
            FROM moved
        )
        SELECT id FROM moved
        """;

    /// <summary>
    /// A rank of the run's current gang attempt that is still offered: claimed by this worker unless it already holds
    /// another rank of the attempt (a gang spreads over distinct workers), or the run is no longer Running at the attempt.
    /// </summary>
    public const string ClaimRank = """
        UPDATE run_ranks k SET worker_name = @worker, device = @device, claimed_at = @now, heartbeat_at = @now
        WHERE k.run_id = @runId AND k.attempt = @attempt AND k.rank = @rank AND k.worker_name IS NULL AND NOT k.local
          AND EXISTS (SELECT 1 FROM runs r WHERE r.id = @runId AND r.status = 'Running' AND r.attempt = @attempt AND r.cancel_requested_at IS NULL)
          AND NOT EXISTS (SELECT 1 FROM run_ranks o WHERE o.run_id = @runId AND o.attempt = @attempt AND o.worker_name = @worker)
        """;
}
