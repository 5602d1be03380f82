-- Workers anywhere (issue 11): the web host is the only writer of PostgreSQL and the artifact service holds every
-- file, so a registry version names its whole folder (the manifest blob) and a run remembers what it registered.

-- The folder of a version as content: the sha256 of its manifest.json blob (each file listed there is a blob too).
-- Null for versions registered before this migration; the web host fills it in the first time a worker needs it.
ALTER TABLE base_model_versions ADD COLUMN manifest_sha256 sha256_hex REFERENCES artifacts (sha256) ON DELETE RESTRICT;
ALTER TABLE slm_versions ADD COLUMN manifest_sha256 sha256_hex REFERENCES artifacts (sha256) ON DELETE RESTRICT;

-- What a run registered ("slm_version" -> "12", ...): a retried outcome gets the same answer and writes nothing twice.
ALTER TABLE runs ADD COLUMN outputs jsonb CHECK (outputs IS NULL OR jsonb_typeof(outputs) = 'object');

-- One registered version per producing run, enforced: the last line of defence against a double registration.
DROP INDEX IF EXISTS base_model_versions_run_idx;
CREATE UNIQUE INDEX base_model_versions_run_idx ON base_model_versions (run_id) WHERE run_id IS NOT NULL;
DROP INDEX IF EXISTS slm_versions_run_idx;
CREATE UNIQUE INDEX slm_versions_run_idx ON slm_versions (run_id) WHERE run_id IS NOT NULL;
