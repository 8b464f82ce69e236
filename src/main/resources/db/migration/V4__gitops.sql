-- GitOps sources, their reconcile runs, and platforms inventoried without a credential
-- (the earlier testum format allowed them; they cannot be deployed to until they get one).

ALTER TABLE platforms ALTER COLUMN credential_id DROP NOT NULL;

CREATE TABLE gitops_sources (
    id                     bigserial PRIMARY KEY,
    name                   text NOT NULL UNIQUE,
    origin                 text NOT NULL CHECK (origin IN ('config', 'api')),
    url                    text NOT NULL,
    branch                 text NOT NULL DEFAULT 'main',
    path                   text,
    interval_seconds       integer NOT NULL DEFAULT 60,
    prune                  boolean NOT NULL DEFAULT true,
    suspended              boolean NOT NULL DEFAULT false,
    username               text,
    token                  bytea,                       -- sealed
    credential             text,                        -- SSH credential name for ssh:// URLs
    webhook_secret         bytea,                       -- sealed
    ready                  boolean NOT NULL DEFAULT false,
    reason                 text NOT NULL DEFAULT 'Pending',
    message                text,
    last_fetched_revision  text,
    last_applied_revision  text,
    last_attempt_at        timestamptz,
    last_success_at        timestamptz,
    errors                 jsonb NOT NULL DEFAULT '[]'::jsonb,
    plan                   jsonb,
    failures               integer NOT NULL DEFAULT 0,
    next_attempt_at        timestamptz NOT NULL DEFAULT now(),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reconcile_runs (
    id          bigserial PRIMARY KEY,
    source      text NOT NULL,
    trigger     text NOT NULL,                          -- interval, webhook, manual, startup
    revision    text,
    result      text NOT NULL,                          -- applied, unchanged, stalled, waiting, failed
    reason      text,
    message     text,
    plan        jsonb,
    errors      jsonb,
    duration_ms bigint NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reconcile_runs_source_idx ON reconcile_runs (source, id DESC);

-- The SSH host key of an ssh:// source, pinned at its first fetch; the document's settings.drift.
ALTER TABLE gitops_sources ADD COLUMN ssh_host_key text;
ALTER TABLE gitops_sources ADD COLUMN drift text NOT NULL DEFAULT 'repair' CHECK (drift IN ('repair', 'report'));
