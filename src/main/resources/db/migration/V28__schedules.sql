-- Runs that fire on their own: a five-field cron in a time zone, and what to run (a command, or
-- a script with its interpreter, arguments and sealed environment) on which targets.
CREATE TABLE schedules (
    name            text        PRIMARY KEY,
    cron            text        NOT NULL,
    timezone        text        NOT NULL DEFAULT 'UTC',
    command         text,
    script          text,
    interpreter     text,
    args            jsonb,
    env_names       jsonb       NOT NULL DEFAULT '[]',
    env_sealed      bytea,
    targets         jsonb       NOT NULL,
    timeout_seconds integer,
    concurrency     integer,
    max_failures    integer,
    misfire         text        NOT NULL DEFAULT 'skip' CHECK (misfire IN ('skip', 'run-once')),
    enabled         boolean     NOT NULL DEFAULT true,
    next_fire_at    timestamptz,
    last_fired_at   timestamptz,
    last_error      text,
    source          text        NOT NULL DEFAULT 'api',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT schedules_command_or_script CHECK ((command IS NULL) <> (script IS NULL))
);
CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE enabled;
