-- 0001_initial.sql — the SlmOps schema (DESIGN.md section 5).
--
-- Conventions, relied on by SlmOps.Data's EF Core model and by the tests that compare the two:
--   * snake_case names; timestamptz for every point in time.
--   * Keys: runs are uuid, because the API mints a run id before anything is queued and the id travels
--     in every message (SlmOps.Contracts uses Guid RunId); every other table uses a bigint identity,
--     except artifacts, whose key is their content hash.
--   * Enum-like columns are text with a CHECK listing the allowed values. Run kind and status use the
--     PascalCase names of SlmOps.Contracts.RunKind/RunStatus; every other enum is lower snake_case
--     because those values also appear in URLs, configs and CLI flags.
--   * Registry versions (base_model_versions, slm_versions) are immutable once written: triggers refuse
--     changes to the columns that define what a version is.
-- Applied once, in one transaction, by SlmOps.Data.Migrations.MigrationRunner. Never edit it after it
-- has been applied anywhere: add 0002_*.sql instead (the runner refuses an edited applied file).

CREATE DOMAIN sha256_hex AS text
    CHECK (VALUE ~ '^[0-9a-f]{64}$');

-- Names that appear in URLs and in references such as `task@production`.
CREATE DOMAIN slug AS text
    CHECK (VALUE ~ '^[a-z0-9][a-z0-9-]{0,62}$');

-------------------------------------------------------------------------------------------- artifacts

-- Content-addressed files (datasets, tokenizers, weights, checkpoints) in the artifact store.
CREATE TABLE artifacts (
    sha256      sha256_hex  PRIMARY KEY,
    size_bytes  bigint      NOT NULL CHECK (size_bytes >= 0),
    media_type  text        NOT NULL,
    -- A path relative to Artifacts:Root, or an absolute URI (file://, s3://) for other stores.
    uri         text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

--------------------------------------------------------------------------------------------- datasets

CREATE TABLE datasets (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        slug        NOT NULL UNIQUE,
    description text,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- An uploaded file, numbered per dataset. The raw file is an artifact; preparation (a PrepareDataset
-- run) fills the token count and the prepared artifact.
CREATE TABLE dataset_versions (
    id                       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dataset_id               bigint      NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    version                  integer     NOT NULL CHECK (version >= 1),
    sha256                   sha256_hex  NOT NULL REFERENCES artifacts (sha256) ON DELETE RESTRICT,
    size_bytes               bigint      NOT NULL CHECK (size_bytes >= 0),
    format                   text        NOT NULL CHECK (format IN ('text', 'jsonl', 'csv')),
    source_file_name         text,
    row_count                bigint      CHECK (row_count >= 0),
    token_count              bigint      CHECK (token_count >= 0),
    tokenizer_sha256         sha256_hex  REFERENCES artifacts (sha256) ON DELETE RESTRICT,
    prepared_artifact_sha256 sha256_hex  REFERENCES artifacts (sha256) ON DELETE RESTRICT,
    created_by               text        NOT NULL,
    created_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (dataset_id, version)
);

------------------------------------------------------------------------------------------------- runs

CREATE TABLE runs (
    id                  uuid             PRIMARY KEY DEFAULT gen_random_uuid(),
    kind                text             NOT NULL
        CHECK (kind IN ('PrepareDataset', 'TrainBaseModel', 'TrainTaskModel', 'Evaluate')),
    status              text             NOT NULL DEFAULT 'Queued'
        CHECK (status IN ('Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled')),
    name                text,
    -- The full configuration the run was submitted with; workers read it, nothing rewrites it.
    config              jsonb            NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    priority            integer          NOT NULL DEFAULT 0,
    -- Incremented by each claim; a message for an older attempt is ignored.
    attempt             integer          NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts        integer          NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    worker_name         text,
    device              text,
    heartbeat_at        timestamptz,
    queued_at           timestamptz      NOT NULL DEFAULT now(),
    -- When the command was last published; the sweeper re-dispatches queued runs whose message was lost.
    dispatched_at       timestamptz,
    started_at          timestamptz,
    finished_at         timestamptz,
    cancel_requested_at timestamptz,
    error               text,
    code_version        text,
    parent_run_id       uuid             REFERENCES runs (id) ON DELETE SET NULL,
    cloned_from_run_id  uuid             REFERENCES runs (id) ON DELETE SET NULL,
    progress            double precision NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
    latest_loss         double precision,
    -- The newest checkpoint, so a re-queued run resumes instead of starting over.
    checkpoint_sha256   sha256_hex       REFERENCES artifacts (sha256) ON DELETE SET NULL,
    checkpoint_step     bigint           CHECK (checkpoint_step >= 0),
    created_by          text             NOT NULL,
    created_at          timestamptz      NOT NULL DEFAULT now()
);

-- Claiming: the highest-priority, oldest queued run first.
CREATE INDEX runs_queued_claim_idx ON runs (priority DESC, queued_at, id) WHERE status = 'Queued';
-- The sweeper: running runs whose worker stopped heart-beating.
CREATE INDEX runs_running_heartbeat_idx ON runs (heartbeat_at) WHERE status = 'Running';
-- Listing pages: newest first, optionally filtered by status or kind.
CREATE INDEX runs_created_idx ON runs (created_at DESC);
CREATE INDEX runs_status_created_idx ON runs (status, created_at DESC);
CREATE INDEX runs_kind_created_idx ON runs (kind, created_at DESC);
CREATE INDEX runs_parent_idx ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;
CREATE INDEX runs_cloned_from_idx ON runs (cloned_from_run_id) WHERE cloned_from_run_id IS NOT NULL;

-- (run, key, step) is the identity of a point: writes use ON CONFLICT DO NOTHING, so a resumed or
-- re-delivered run never duplicates one.
CREATE TABLE run_metrics (
    run_id      uuid             NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key         text             NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    step        bigint           NOT NULL CHECK (step >= 0),
    value       double precision NOT NULL,
    recorded_at timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, key, step)
);

-- Log lines per run; id gives the order.
CREATE TABLE run_events (
    id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id  uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    attempt integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    level   text        NOT NULL CHECK (level IN ('debug', 'info', 'warning', 'error')),
    message text        NOT NULL,
    at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX run_events_run_idx ON run_events (run_id, id);

----------------------------------------------------------------------------------------------- lineage

-- Edges between things of different kinds (dataset version -> run -> model version, base model version
-- -> task run -> SLM version, run -> artifact). Ids are text because the kinds use different key types
-- (uuid runs, bigint versions, sha256 artifacts); that is also why there are no foreign keys here.
CREATE TABLE lineage_edges (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    from_kind  text        NOT NULL
        CHECK (from_kind IN ('dataset_version', 'run', 'base_model_version', 'slm_version', 'artifact')),
    from_id    text        NOT NULL,
    to_kind    text        NOT NULL
        CHECK (to_kind IN ('dataset_version', 'run', 'base_model_version', 'slm_version', 'artifact')),
    to_id      text        NOT NULL,
    -- What the edge means, e.g. input, output, base_model, checkpoint.
    relation   text        NOT NULL CHECK (relation ~ '^[a-z][a-z0-9_]{0,62}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (from_kind, from_id, to_kind, to_id, relation)
);

CREATE INDEX lineage_edges_to_idx ON lineage_edges (to_kind, to_id);

------------------------------------------------------------------------------------------- base models

CREATE TABLE base_models (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        slug        NOT NULL UNIQUE,
    description text,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- An LLM version is immutable: its weights hash is checked on every load and no code path rewrites it.
CREATE TABLE base_model_versions (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    base_model_id      bigint      NOT NULL REFERENCES base_models (id) ON DELETE RESTRICT,
    version            integer     NOT NULL CHECK (version >= 1),
    architecture_kind  text        NOT NULL CHECK (architecture_kind IN ('fft', 'gpt')),
    -- Dimensions and hyper-parameters (vocab, widths, window, layers) as the trainer wrote them.
    architecture       jsonb       NOT NULL CHECK (jsonb_typeof(architecture) = 'object'),
    parameter_count    bigint      NOT NULL CHECK (parameter_count > 0),
    weights_sha256     sha256_hex  NOT NULL REFERENCES artifacts (sha256) ON DELETE RESTRICT,
    tokenizer_sha256   sha256_hex  NOT NULL REFERENCES artifacts (sha256) ON DELETE RESTRICT,
    run_id             uuid        REFERENCES runs (id) ON DELETE SET NULL,
    evaluation_metrics jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(evaluation_metrics) = 'object'),
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (base_model_id, version)
);

CREATE INDEX base_model_versions_run_idx ON base_model_versions (run_id) WHERE run_id IS NOT NULL;

----------------------------------------------------------------------------------- task models (SLMs)

CREATE TABLE task_models (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        slug        NOT NULL UNIQUE,
    description text,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE slm_versions (
    id                    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_model_id         bigint      NOT NULL REFERENCES task_models (id) ON DELETE RESTRICT,
    version               integer     NOT NULL CHECK (version >= 1),
    -- The frozen LLM this SLM follows; it cannot be deleted while an SLM depends on it.
    base_model_version_id bigint      NOT NULL REFERENCES base_model_versions (id) ON DELETE RESTRICT,
    coupling_mode         text        NOT NULL CHECK (coupling_mode IN ('tokens', 'logits', 'hidden')),
    architecture          jsonb       NOT NULL CHECK (jsonb_typeof(architecture) = 'object'),
    parameter_count       bigint      NOT NULL CHECK (parameter_count > 0),
    dataset_version_id    bigint      REFERENCES dataset_versions (id) ON DELETE RESTRICT,
    run_id                uuid        REFERENCES runs (id) ON DELETE SET NULL,
    -- e.g. {"task_val_loss": 1.93, "base_val_loss_plugged": 2.41}; the promotion gate reads it.
    evaluation_metrics    jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(evaluation_metrics) = 'object'),
    weights_sha256        sha256_hex  NOT NULL REFERENCES artifacts (sha256) ON DELETE RESTRICT,
    created_by            text        NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (task_model_id, version),
    -- Lets aliases require (by a composite foreign key) that their version belongs to their task model.
    UNIQUE (task_model_id, id)
);

CREATE INDEX slm_versions_base_model_version_idx ON slm_versions (base_model_version_id);
CREATE INDEX slm_versions_run_idx ON slm_versions (run_id) WHERE run_id IS NOT NULL;

-- Refuse changes to what defines a registry version; evaluation metrics and the producing run (set to
-- null when the run is deleted) may still change.
CREATE FUNCTION refuse_registry_version_rewrite() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'base_model_versions' THEN
        IF (NEW.base_model_id, NEW.version, NEW.architecture_kind, NEW.architecture, NEW.parameter_count,
            NEW.weights_sha256, NEW.tokenizer_sha256)
           IS DISTINCT FROM
           (OLD.base_model_id, OLD.version, OLD.architecture_kind, OLD.architecture, OLD.parameter_count,
            OLD.weights_sha256, OLD.tokenizer_sha256) THEN
            RAISE EXCEPTION 'base model version % is immutable; register a new version instead', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF (NEW.task_model_id, NEW.version, NEW.base_model_version_id, NEW.coupling_mode, NEW.architecture,
           NEW.parameter_count, NEW.dataset_version_id, NEW.weights_sha256)
          IS DISTINCT FROM
          (OLD.task_model_id, OLD.version, OLD.base_model_version_id, OLD.coupling_mode, OLD.architecture,
           OLD.parameter_count, OLD.dataset_version_id, OLD.weights_sha256) THEN
        RAISE EXCEPTION 'SLM version % is immutable; register a new version instead', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER base_model_versions_immutable BEFORE UPDATE ON base_model_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_registry_version_rewrite();
CREATE TRIGGER slm_versions_immutable BEFORE UPDATE ON slm_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_registry_version_rewrite();

-- An alias (production, staging, any name) points at one version of its own task model. Purely numeric
-- names are refused so that `task@3` always means version 3.
CREATE TABLE aliases (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_model_id  bigint      NOT NULL REFERENCES task_models (id) ON DELETE CASCADE,
    name           text        NOT NULL
        CHECK (name ~ '^[a-z0-9-]+$' AND name !~ '^[0-9]+$' AND length(name) <= 63),
    slm_version_id bigint      NOT NULL,
    updated_by     text        NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (task_model_id, name),
    FOREIGN KEY (task_model_id, slm_version_id) REFERENCES slm_versions (task_model_id, id) ON DELETE RESTRICT
);

CREATE INDEX aliases_slm_version_idx ON aliases (slm_version_id);

-- Every move of an alias (promotion, rollback); kept when the alias itself is deleted.
CREATE TABLE alias_history (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_model_id       bigint      NOT NULL REFERENCES task_models (id) ON DELETE CASCADE,
    alias_name          text        NOT NULL,
    action              text        NOT NULL CHECK (action IN ('create', 'promote', 'rollback', 'delete')),
    from_slm_version_id bigint      REFERENCES slm_versions (id) ON DELETE SET NULL,
    to_slm_version_id   bigint      REFERENCES slm_versions (id) ON DELETE SET NULL,
    -- True when the promotion gate was overridden.
    forced              boolean     NOT NULL DEFAULT false,
    actor               text        NOT NULL,
    reason              text,
    at                  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX alias_history_alias_idx ON alias_history (task_model_id, alias_name, at DESC);

------------------------------------------------------------------------------------------ audit, auth

-- Append-only: a trigger refuses UPDATE and DELETE.
CREATE TABLE audit_log (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor       text        NOT NULL,
    action      text        NOT NULL,
    entity_kind text        NOT NULL,
    entity_id   text,
    before      jsonb,
    after       jsonb,
    reason      text,
    at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_kind, entity_id, at DESC);

CREATE FUNCTION refuse_audit_rewrite() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_rewrite();

-- The secret is shown once; only its hash is stored. The prefix identifies the key in lists and logs.
CREATE TABLE api_keys (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text        NOT NULL,
    prefix       text        NOT NULL UNIQUE CHECK (length(prefix) BETWEEN 4 AND 32),
    key_hash     text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('viewer', 'editor', 'promoter', 'admin')),
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);

---------------------------------------------------------------------------------------------- workers

CREATE TABLE workers (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text        NOT NULL UNIQUE,
    device         text        NOT NULL,
    slots          integer     NOT NULL DEFAULT 1 CHECK (slots >= 1),
    current_run_id uuid        REFERENCES runs (id) ON DELETE SET NULL,
    code_version   text,
    started_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now()
);
