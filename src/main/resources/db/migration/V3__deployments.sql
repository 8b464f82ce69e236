-- authorized_keys deployments: one row per (platform, managed account).

-- The host key learned at first contact (trust on first use); platforms.host_key is the declared one.
ALTER TABLE platforms ADD COLUMN pinned_host_key text;
ALTER TABLE platforms ADD COLUMN pinned_at timestamptz;

CREATE TABLE deployments (
    id              bigserial PRIMARY KEY,
    platform_id     bigint NOT NULL REFERENCES platforms (id) ON DELETE CASCADE,
    account         text NOT NULL,                 -- the user whose authorized_keys is managed
    path            text NOT NULL,
    exclusive       boolean NOT NULL DEFAULT false,
    status          text NOT NULL CHECK (status IN
                        ('in_sync', 'pending', 'drifted', 'failed', 'unreachable', 'host_key_mismatch')),
    keys            jsonb NOT NULL DEFAULT '[]'::jsonb,  -- names of the keys in the desired block
    desired_content text NOT NULL,
    desired_hash    text NOT NULL,
    deployed_hash   text,
    last_attempt_at timestamptz,
    last_success_at timestamptz,
    last_error      text,
    drifted_lines   jsonb,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform_id, account)
);
CREATE INDEX deployments_status_idx ON deployments (status);
