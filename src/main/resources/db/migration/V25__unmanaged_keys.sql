-- Owned by deploy: the keys found outside the managed block of each (platform, account) at the
-- last read (deployment or drift check). A key that is gone from the file at the next read loses
-- its row; the rows are what stands on the hosts now. Lines that do not read as a key are never
-- stored, only counted (deployments.unmanaged_unparsed).
CREATE TABLE unmanaged_keys (
    platform_id   bigint NOT NULL REFERENCES platforms (id) ON DELETE CASCADE,
    account       text NOT NULL,
    fingerprint   text NOT NULL,                  -- SHA256:..., as ssh-keygen -l prints it
    key_type      text NOT NULL,
    bits          integer NOT NULL,
    comment       text,
    options       text,
    weak          boolean NOT NULL,               -- DSA, or RSA under 2048 bits
    has_from      boolean NOT NULL,               -- every line of the key carries from=
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform_id, account, fingerprint)
);
-- "Where can this fingerprint log in?" across the fleet, and the weak ones first.
CREATE INDEX unmanaged_keys_fingerprint_idx ON unmanaged_keys (fingerprint, platform_id, account);
CREATE INDEX unmanaged_keys_weak_idx ON unmanaged_keys (platform_id, account) WHERE weak;

ALTER TABLE deployments ADD COLUMN unmanaged_unparsed integer NOT NULL DEFAULT 0;

-- The document's settings.unmanaged.
ALTER TABLE gitops_sources ADD COLUMN unmanaged text NOT NULL DEFAULT 'keep'
    CHECK (unmanaged IN ('keep', 'report', 'remove'));
