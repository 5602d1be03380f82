-- Data-parallel runs (issue 14): the ranks of each attempt and the workers that hold them. A run whose world size is
-- more than one worker runs itself is gang-scheduled: the claiming worker takes rank 0 and the other ranks are offered
-- to other workers; a rank row without a worker is still waiting for one. Rank 0's row carries the address of the
-- TCP store it hosts; a rank is joined once its process group has formed. A local gang (one worker, N devices) has N
-- rows naming the same worker, joined at the claim.

CREATE TABLE run_ranks (
    run_id        uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    attempt       integer     NOT NULL CHECK (attempt >= 1),
    rank          integer     NOT NULL CHECK (rank >= 0),
    world_size    integer     NOT NULL CHECK (world_size >= 1 AND rank < world_size),
    worker_name   text,
    device        text,
    store_address text,
    claimed_at    timestamptz,
    joined_at     timestamptz,
    heartbeat_at  timestamptz,
    -- All ranks on one worker (threads, one per device) rather than gang-scheduled across workers.
    local         boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (run_id, attempt, rank)
);

-- One worker holds at most one rank of a gang's attempt (a gang spreads over distinct workers); local rows are exempt.
CREATE UNIQUE INDEX run_ranks_one_per_worker_idx ON run_ranks (run_id, attempt, worker_name) WHERE NOT local AND worker_name IS NOT NULL;
