-- Ad-hoc runs: one command on a set of platforms resolved at submit time.
CREATE TABLE runs (
    id               uuid PRIMARY KEY,
    command          text        NOT NULL,
    status           text        NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'canceled', 'timed_out')),
    requested_by     text        NOT NULL,
    timeout_seconds  integer     NOT NULL,
    concurrency      integer     NOT NULL,
    max_failures     integer,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    -- the replica executing it, and until when its claim holds without a heartbeat
    claimed_by       text,
    lease_until      timestamptz,
    cancel_requested boolean     NOT NULL DEFAULT false,
    reason           text
);
CREATE INDEX runs_queued ON runs (created_at) WHERE status = 'queued';
CREATE INDEX runs_running ON runs (lease_until) WHERE status = 'running';
CREATE INDEX runs_created ON runs (created_at DESC);

CREATE TABLE run_hosts (
    run_id      uuid    NOT NULL REFERENCES runs ON DELETE CASCADE,
    position    integer NOT NULL,
    platform    text    NOT NULL,
    status      text    NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'canceled', 'timed_out')),
    exit_code   integer,
    started_at  timestamptz,
    finished_at timestamptz,
    stdout      bytea   NOT NULL DEFAULT '',
    stderr      bytea   NOT NULL DEFAULT '',
    truncated   boolean NOT NULL DEFAULT false,
    error       text,
    PRIMARY KEY (run_id, platform)
);
CREATE INDEX run_hosts_platform ON run_hosts (platform, run_id);

-- Everything a viewer sees, in order: replayed to late viewers, announced with NOTIFY testum_run_events.
CREATE TABLE run_events (
    run_id    uuid        NOT NULL REFERENCES runs ON DELETE CASCADE,
    seq       bigint      NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    type      text        NOT NULL,
    platform  text,
    stream    text,
    data      text,
    status    text,
    exit_code integer,
    error     text,
    PRIMARY KEY (run_id, seq)
);
