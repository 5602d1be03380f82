-- Hangfire on PostgreSQL runs the web host's background work (issue 12). Hangfire.PostgreSql creates and upgrades
-- its own schema, hangfire, when the web host starts, so none of its tables are here. The scheduler it replaces
-- goes with its tables (0002 stays in place: the migration runner refuses a deleted applied file).
DROP SCHEMA IF EXISTS quartz CASCADE;

-- The MLflow run a finished run was exported to, stored as soon as MLflow creates it: a retried or redelivered
-- export logs to that run again instead of creating a second one.
ALTER TABLE runs ADD COLUMN mlflow_run_id text CHECK (mlflow_run_id <> '');

-- Each delivery is sent by one Hangfire job (which retries it); job_id is that job's id, NULL until the outbox drain
-- (a recurring job) has handed the delivery to Hangfire. The old dispatcher's due index has no reader left.
ALTER TABLE webhooks.deliveries ADD COLUMN job_id text;
DROP INDEX webhooks.deliveries_due_idx;
CREATE INDEX deliveries_undrained_idx ON webhooks.deliveries (created_at) WHERE status = 'pending' AND job_id IS NULL;
