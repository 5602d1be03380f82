namespace SlmOps.Web.Sweeper;

/// <summary>The statements of a sweep. Each is one statement, so a worker's heartbeat can never interleave with it.</summary>
internal static class LostRunSql
{
    /// <summary>
    /// Running runs whose heartbeat (or start, if they never beat) is older than @cutoff go back to Queued with a
    /// fresh queued_at, or to Failed when their attempts are used, or to Cancelled when a cancel was asked for.
    /// The update repeats the status and heartbeat it saw, and rows a worker is writing are skipped, so a worker
    /// that beats at the same moment keeps its run (a gang's run is also lost when a rank's worker stops heart-beating,
    /// see run_ranks). Each move leaves a run_events line saying why. Sweeps have no worker
    /// and no heartbeat (their scheduler is a background job), so they are left alone.
    /// </summary>
    public const string RecoverLostRunning = """
        WITH lost AS (
            SELECT r.id, r.attempt, r.max_attempts, r.worker_name, r.heartbeat_at, r.cancel_requested_at,
                   COALESCE(r.heartbeat_at, r.started_at, r.queued_at) < @cutoff AS run_stale,
                   s.rank AS lost_rank, s.worker_name AS rank_worker, s.heartbeat_at AS rank_heartbeat
            FROM runs r
            -- A gang's run is lost when any of its ranks' workers stops heart-beating (rank 0's is the run's own).
            LEFT JOIN LATERAL (
                SELECT k.rank, k.worker_name, k.heartbeat_at FROM run_ranks k
                WHERE k.run_id = r.id AND k.attempt = r.attempt AND k.rank > 0 AND NOT k.local AND k.worker_name IS NOT NULL
                  AND COALESCE(k.heartbeat_at, k.claimed_at) < @cutoff
                ORDER BY k.rank LIMIT 1) s ON true
            WHERE r.status = 'Running' AND r.kind <> 'Sweep'
              AND (COALESCE(r.heartbeat_at, r.started_at, r.queued_at) < @cutoff OR s.rank IS NOT NULL)
            ORDER BY r.id
            FOR UPDATE OF r SKIP LOCKED
        ), decided AS (
            SELECT l.*,
                   CASE WHEN l.cancel_requested_at IS NOT NULL THEN 'Cancelled'
                        WHEN l.attempt >= l.max_attempts THEN 'Failed'
                        ELSE 'Queued' END AS next_status,
                   CASE WHEN l.run_stale THEN
                       format('worker %s stopped heart-beating (last heartbeat %s, timeout %s s)',
                              COALESCE(quote_literal(l.worker_name), '(unknown)'),
                              COALESCE(to_char(l.heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'never'),
                              @timeoutSeconds)
                   ELSE
                       format('worker %s of rank %s stopped heart-beating (last heartbeat %s, timeout %s s)',
                              quote_literal(l.rank_worker), l.lost_rank,
                              COALESCE(to_char(l.rank_heartbeat AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'never'),
                              @timeoutSeconds)
                   END AS why
            FROM lost l
        ), moved AS (
            UPDATE runs r SET
                status = d.next_status,
                queued_at = CASE WHEN d.next_status = 'Queued' THEN @now ELSE r.queued_at END,
                dispatched_at = CASE WHEN d.next_status = 'Queued' THEN NULL ELSE r.dispatched_at END,
                worker_name = CASE WHEN d.next_status = 'Queued' THEN NULL ELSE r.worker_name END,
                heartbeat_at = CASE WHEN d.next_status = 'Queued' THEN NULL ELSE r.heartbeat_at END,
                finished_at = CASE WHEN d.next_status = 'Queued' THEN NULL ELSE @now END,
                error = CASE WHEN d.next_status = 'Failed'
                             THEN format('The %s of %s allowed attempts was lost: %s. Submit the run again to retry.',
                                         d.attempt, d.max_attempts, d.why)
                             ELSE r.error END
            FROM decided d
            WHERE r.id = d.id AND r.status = 'Running' AND r.heartbeat_at IS NOT DISTINCT FROM d.heartbeat_at
            RETURNING r.id, r.status, r.attempt, r.max_attempts, r.error, d.why
        ), logged AS (
            INSERT INTO run_events (run_id, attempt, level, message, at)
            SELECT id, attempt,
                   CASE WHEN status = 'Queued' THEN 'warning' ELSE 'error' END,
                   CASE status
                       WHEN 'Queued' THEN format('Sweeper: %s; re-queued for attempt %s of %s, which resumes from the last checkpoint.',
                                                 why, attempt + 1, max_attempts)
                       WHEN 'Failed' THEN format('Sweeper: %s; all %s attempts are used, so the run failed.', why, max_attempts)
                       ELSE format('Sweeper: %s; a cancel had been requested, so the run is cancelled.', why)
                   END,
                   @now
            FROM moved
        )
        SELECT id, status, error FROM moved
        """;

    /// <summary>Queued runs whose command was sent (or, never sent, that were queued) before @cutoff: the message was lost.</summary>
    public const string UnclaimedQueued = """
        SELECT id FROM runs
        WHERE status = 'Queued' AND kind <> 'Sweep' AND COALESCE(dispatched_at, queued_at) < @cutoff
        ORDER BY priority DESC, queued_at, id
        LIMIT 1000
        """;

    /// <summary>Status and finish time of the runs whose work folders are on disk.</summary>
    public const string RunStates = "SELECT id, status, finished_at FROM runs WHERE id = ANY(@ids)";
}
