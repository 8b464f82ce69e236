-- Outgoing notifications. An alert names where to send (its URL sealed under the master key, as
-- it often carries a token; a redacted form beside it for display), for which events and platforms.
CREATE TABLE alerts (
    name          text        PRIMARY KEY,
    type          text        NOT NULL CHECK (type IN ('webhook', 'slack')),
    url_sealed    bytea       NOT NULL,
    url_shown     text        NOT NULL,
    secret_sealed bytea,
    events        jsonb       NOT NULL,
    selector      jsonb       NOT NULL DEFAULT '{}',
    enabled       boolean     NOT NULL DEFAULT true,
    source        text        NOT NULL DEFAULT 'api',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The last state each subject (a deployment, a source) was alerted in, so that a state is
-- alerted once when it begins, not on every check that finds it again.
CREATE TABLE alert_states (
    subject    text        PRIMARY KEY,
    event      text        NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- One row per (alert, event): the body to send, and how the sending went.
CREATE TABLE alert_deliveries (
    id               bigserial   PRIMARY KEY,
    alert            text        NOT NULL REFERENCES alerts (name) ON DELETE CASCADE,
    event_id         uuid        NOT NULL,
    event            text        NOT NULL,
    subject          text        NOT NULL,
    payload          jsonb       NOT NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_http_status integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    CONSTRAINT alert_deliveries_once UNIQUE (alert, event_id)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX alert_deliveries_by_alert ON alert_deliveries (alert, id DESC);
CREATE INDEX alert_deliveries_finished ON alert_deliveries (finished_at) WHERE finished_at IS NOT NULL;
