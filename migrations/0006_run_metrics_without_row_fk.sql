-- Metric ingestion at hundreds of thousands of points per second (issue 11). The per-row foreign key from
-- run_metrics to runs cost more than the insert itself (one lookup and KEY SHARE lock of the run per point). The
-- writer now checks the runs of a whole batch once, taking the same KEY SHARE locks (so a run cannot be deleted
-- under a batch), and a trigger keeps ON DELETE CASCADE's meaning.
ALTER TABLE run_metrics DROP CONSTRAINT IF EXISTS run_metrics_run_id_fkey;

CREATE FUNCTION delete_run_metrics_of_deleted_runs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM run_metrics m USING old_runs o WHERE m.run_id = o.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER runs_delete_metrics AFTER DELETE ON runs
    REFERENCING OLD TABLE AS old_runs FOR EACH STATEMENT EXECUTE FUNCTION delete_run_metrics_of_deleted_runs();
