-- Sweeps (issue 16): a parent run of kind 'Sweep' fans out child runs (parent_run_id) over a search space.
-- sweep_trials is the one record of which trial became which run: its primary key (sweep, trial index) is what keeps a
-- restarted or concurrent scheduler from submitting a trial twice. sweep_rungs holds ASHA's rung results, so the
-- early-stopping decisions survive a web host restart and are taken once.

ALTER TABLE runs DROP CONSTRAINT runs_kind_check;
ALTER TABLE runs ADD CONSTRAINT runs_kind_check
    CHECK (kind IN ('PrepareDataset', 'TrainBaseModel', 'TrainTaskModel', 'Evaluate', 'Sweep'));

-- Why a cancel was asked for beyond "a user asked", e.g. 'stopped early at step 40' (ASHA) or 'the sweep was cancelled'.
ALTER TABLE runs ADD COLUMN cancel_reason text;

CREATE TABLE sweep_trials (
    sweep_run_id uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    trial_index  integer     NOT NULL CHECK (trial_index >= 0),
    -- Null when the trial could not be submitted (error says why); it still counts against the budget.
    run_id       uuid        UNIQUE REFERENCES runs (id) ON DELETE SET NULL,
    -- The sampled values by spec field path, e.g. {"training.learningRate": 0.003, "method": "lora"}.
    params       jsonb       NOT NULL CHECK (jsonb_typeof(params) = 'object'),
    error        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sweep_run_id, trial_index)
);

CREATE TABLE sweep_rungs (
    sweep_run_id uuid             NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    rung_step    bigint           NOT NULL CHECK (rung_step > 0),
    trial_run_id uuid             NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    -- The step of the metric point that stood for the rung: the first at or after rung_step.
    metric_step  bigint           NOT NULL,
    value        double precision NOT NULL,
    continued    boolean          NOT NULL,
    recorded_at  timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (sweep_run_id, rung_step, trial_run_id)
);

CREATE INDEX sweep_rungs_trial_idx ON sweep_rungs (trial_run_id);
