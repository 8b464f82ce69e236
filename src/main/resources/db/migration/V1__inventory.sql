-- testum inventory: credentials, platforms, public keys and access grants.
-- Objects are addressed by name; "source" says who owns them: 'api', or a GitOps source.

CREATE TABLE app_state (
    key   text PRIMARY KEY,
    value bytea NOT NULL
);

CREATE TABLE credentials (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    kind            text CHECK (kind IN ('key', 'password')),   -- NULL: a placeholder awaiting its secret
    key_type        text,                                       -- e.g. ssh-ed25519, for kind = 'key'
    bits            integer,
    public_key      text,                                       -- OpenSSH public line, for kind = 'key'
    fingerprint     text,
    secret          bytea,                                      -- AES-256-GCM under the master key
    secret_ref      text,                                       -- Kubernetes Secret name
    description     text,
    source          text NOT NULL DEFAULT 'api',
    source_revision text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         bigint NOT NULL DEFAULT 0,
    CHECK ((kind IS NULL) = (secret IS NULL))
);

CREATE TABLE platforms (
    id                   bigserial PRIMARY KEY,
    name                 text NOT NULL UNIQUE,
    host                 text NOT NULL,
    port                 integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
    username             text NOT NULL,
    auth_method          text NOT NULL CHECK (auth_method IN ('key', 'password')),
    credential_id        bigint NOT NULL REFERENCES credentials (id),
    host_key             text,                                  -- declared pin, SHA256:...
    labels               jsonb NOT NULL DEFAULT '{}'::jsonb,
    authorized_keys_path text NOT NULL DEFAULT '~/.ssh/authorized_keys',
    authorized_keys_mode text NOT NULL DEFAULT 'merge' CHECK (authorized_keys_mode IN ('merge', 'exclusive')),
    description          text,
    source               text NOT NULL DEFAULT 'api',
    source_revision      text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    version              bigint NOT NULL DEFAULT 0
);
CREATE INDEX platforms_labels_idx ON platforms USING gin (labels jsonb_path_ops);
CREATE INDEX platforms_credential_idx ON platforms (credential_id);

CREATE TABLE ssh_keys (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    public_key      text NOT NULL,                              -- "type base64 [comment]"
    key_type        text NOT NULL,
    bits            integer NOT NULL,
    fingerprint     text NOT NULL UNIQUE,                       -- SHA256:..., as ssh-keygen -l prints it
    comment         text,
    description     text,
    source          text NOT NULL DEFAULT 'api',
    source_revision text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         bigint NOT NULL DEFAULT 0
);

CREATE TABLE access_grants (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    login_user      text,                                       -- NULL: each platform's username
    selector        jsonb,                                      -- labels that must all match
    options         text,                                       -- authorized_keys options
    expires_at      timestamptz,
    description     text,
    source          text NOT NULL DEFAULT 'api',
    source_revision text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         bigint NOT NULL DEFAULT 0
);

CREATE TABLE access_grant_keys (
    grant_id bigint NOT NULL REFERENCES access_grants (id) ON DELETE CASCADE,
    key_id   bigint NOT NULL REFERENCES ssh_keys (id),
    PRIMARY KEY (grant_id, key_id)
);
CREATE INDEX access_grant_keys_key_idx ON access_grant_keys (key_id);

CREATE TABLE access_grant_platforms (
    grant_id    bigint NOT NULL REFERENCES access_grants (id) ON DELETE CASCADE,
    platform_id bigint NOT NULL REFERENCES platforms (id),
    PRIMARY KEY (grant_id, platform_id)
);
CREATE INDEX access_grant_platforms_platform_idx ON access_grant_platforms (platform_id);
