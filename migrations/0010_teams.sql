-- Teams (issue 18): every dataset, run and task model belongs to a team, and so does every API key (its role is its
-- role in that team; admin and worker keys keep platform-wide rights whatever their team). Base models belong to the
-- platform team (teams.platform): every team reads and follows them, only its editors (and admins) make new ones.
--
-- An upgraded installation keeps working unchanged: everything that exists, keys included, lands in the team
-- 'default', which is also the platform team until an admin names another. The team columns default to 'default',
-- so a row written without one (an older web host during a rolling deploy, ad-hoc SQL) lands there too.

CREATE TABLE teams (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Appears in URLs and on every object; never renamed (other tables refer to it by name).
    name             text        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9-]{1,64}$'),
    description      text,
    -- The team whose editors may pretrain and register base models; exactly one team is it.
    platform         boolean     NOT NULL DEFAULT false,
    -- Quotas (null = no limit): runs of the team running at once, and runs sent to the workers' queues and not yet
    -- claimed. A run over either waits in Queued with a run event saying why; it is never refused.
    max_running_runs integer     CHECK (max_running_runs >= 1),
    max_queued_runs  integer     CHECK (max_queued_runs >= 1),
    created_by       text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX teams_one_platform_idx ON teams (platform) WHERE platform;

INSERT INTO teams (name, description, platform, created_by)
VALUES ('default', 'Everything made before teams existed, and keys made without a team.', true, 'migration 0010');

ALTER TABLE api_keys ADD COLUMN team text NOT NULL DEFAULT 'default' REFERENCES teams (name) ON DELETE RESTRICT;
ALTER TABLE datasets ADD COLUMN team text NOT NULL DEFAULT 'default' REFERENCES teams (name) ON DELETE RESTRICT;
ALTER TABLE runs ADD COLUMN team text NOT NULL DEFAULT 'default' REFERENCES teams (name) ON DELETE RESTRICT;
ALTER TABLE task_models ADD COLUMN team text NOT NULL DEFAULT 'default' REFERENCES teams (name) ON DELETE RESTRICT;
ALTER TABLE webhooks.subscriptions ADD COLUMN team text NOT NULL DEFAULT 'default' REFERENCES teams (name) ON DELETE RESTRICT;

-- Which team an entry is about (the owner of the object changed); no foreign key: the log outlives deleted teams.
-- Adding the column with a default fills the existing rows without an UPDATE, which the append-only trigger refuses.
ALTER TABLE audit_log ADD COLUMN team text NOT NULL DEFAULT 'default';

CREATE INDEX datasets_team_idx ON datasets (team);
CREATE INDEX task_models_team_idx ON task_models (team);
CREATE INDEX runs_team_created_idx ON runs (team, created_at DESC);
-- The quota checks count a team's running and dispatched-but-unclaimed runs.
CREATE INDEX runs_team_active_idx ON runs (team, status) WHERE status IN ('Queued', 'Running');
CREATE INDEX audit_log_team_at_idx ON audit_log (team, at DESC);
CREATE INDEX api_keys_team_idx ON api_keys (team);

-- Read access granted by the team owning a dataset or task model to another team. Writing and promoting never
-- cross teams, shared or not. A share goes with its object and with the team it was granted to.
CREATE TABLE dataset_shares (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dataset_id bigint      NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    -- The team that may read.
    team       text        NOT NULL REFERENCES teams (name) ON DELETE CASCADE,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (dataset_id, team)
);

CREATE TABLE task_model_shares (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_model_id bigint      NOT NULL REFERENCES task_models (id) ON DELETE CASCADE,
    team          text        NOT NULL REFERENCES teams (name) ON DELETE CASCADE,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (task_model_id, team)
);

CREATE INDEX dataset_shares_team_idx ON dataset_shares (team);
CREATE INDEX task_model_shares_team_idx ON task_model_shares (team);
