-- Owned by deploy: the access history, who could log in where and when, as testum saw it on the
-- hosts. One row per interval in which one (platform, account) held one thing:
--   managed   the block testum deployed, from its verified write (or the first read that found it)
--             to the next change seen;
--   drift     a block found changed on the host, from the read that found it to the next change;
--   unmanaged one key outside the block, from its first sighting to the read that found it gone.
-- valid_to is null while the interval is in force. There is no foreign key to platforms: the
-- history of a deleted platform stays, under the name it had, closed when testum saw it go.
CREATE TABLE access_intervals (
    id           bigserial PRIMARY KEY,
    platform_id  bigint NOT NULL,
    platform     text NOT NULL,
    account      text NOT NULL,
    observed     text NOT NULL CHECK (observed IN ('managed', 'drift', 'unmanaged')),
    content_id   text NOT NULL,             -- managed, drift: SHA-256 of the block; unmanaged: the key's fingerprint
    valid_from   timestamptz NOT NULL,
    valid_to     timestamptz,
    last_seen_at timestamptz NOT NULL,      -- the last read that found it in force
    ended        text CHECK (ended IN ('deployed', 'changed_on_host', 'removed_from_host', 'platform_deleted')),
    source       text,                      -- managed: the GitOps source, api, import, restore or expiry behind the block
    revision     text,                      -- the Git commit behind it, for a source or an import
    changes      jsonb NOT NULL DEFAULT '[]'::jsonb,  -- every change behind it: [{source, revision, actor, request, grants, at}]
    CHECK (valid_to IS NULL OR valid_to >= valid_from),
    CHECK ((valid_to IS NULL) = (ended IS NULL))
);
-- One block in force per pair, one interval in force per unmanaged key.
CREATE UNIQUE INDEX access_intervals_open_block_idx ON access_intervals (platform_id, account)
    WHERE valid_to IS NULL AND observed <> 'unmanaged';
CREATE UNIQUE INDEX access_intervals_open_key_idx ON access_intervals (platform_id, account, content_id)
    WHERE valid_to IS NULL AND observed = 'unmanaged';
-- A platform's (and account's) history; what was in force anywhere at a time or in a range; retention.
-- What is in force, for platforms that left testum.
CREATE INDEX access_intervals_open_idx ON access_intervals (platform_id) WHERE valid_to IS NULL;
CREATE INDEX access_intervals_pair_idx ON access_intervals (platform, account, valid_from);
CREATE INDEX access_intervals_during_idx ON access_intervals USING gist (tstzrange(valid_from, valid_to));
CREATE INDEX access_intervals_ended_idx ON access_intervals (valid_to) WHERE valid_to IS NOT NULL;

-- The keys of each interval, with its pair, kind and bounds repeated, so that "where could this key
-- log in at T" is one index scan of this table.
CREATE TABLE access_interval_keys (
    interval_id bigint NOT NULL REFERENCES access_intervals (id) ON DELETE CASCADE,
    fingerprint text NOT NULL,              -- SHA256:..., as ssh-keygen -l prints it
    name        text,                       -- managed: the key's name in the block; drift, unmanaged: null
    platform    text NOT NULL,
    account     text NOT NULL,
    observed    text NOT NULL,
    valid_from  timestamptz NOT NULL,
    valid_to    timestamptz,
    PRIMARY KEY (interval_id, fingerprint)
);

-- A key's intervals in force at a time: a GiST index over (fingerprint, time range) answers it
-- without reading the key's other intervals. It needs btree_gist (a contrib extension that
-- PostgreSQL 13 and later let a database owner install); without it, b-tree indexes stand in,
-- correct but slower for keys granted on many hosts.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS btree_gist;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'btree_gist is not available (%); the access history indexes keys with b-trees', SQLERRM;
END
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gist') THEN
        CREATE INDEX access_interval_keys_fingerprint_idx ON access_interval_keys
            USING gist (fingerprint, tstzrange(valid_from, valid_to));
        CREATE INDEX access_interval_keys_name_idx ON access_interval_keys
            USING gist (name, tstzrange(valid_from, valid_to)) WHERE name IS NOT NULL;
    ELSE
        CREATE INDEX access_interval_keys_fingerprint_idx ON access_interval_keys (fingerprint, valid_from);
        CREATE INDEX access_interval_keys_name_idx ON access_interval_keys (name, valid_from) WHERE name IS NOT NULL;
    END IF;
END
$$;

-- What each deployment's desired block holds, for the interval it starts once deployed: its keys
-- by name and fingerprint, and the changes behind it (kept until the block is deployed).
ALTER TABLE deployments ADD COLUMN desired_keys jsonb;
ALTER TABLE deployments ADD COLUMN desired_changes jsonb NOT NULL DEFAULT '[]'::jsonb;

-- The keys outside the blocks that stand on the hosts now start their intervals at their first sighting.
WITH opened AS (
    INSERT INTO access_intervals (platform_id, platform, account, observed, content_id, valid_from, last_seen_at)
    SELECT u.platform_id, p.name, u.account, 'unmanaged', u.fingerprint, u.first_seen_at, u.last_seen_at
      FROM unmanaged_keys u JOIN platforms p ON p.id = u.platform_id
    RETURNING id, platform, account, content_id, valid_from
)
INSERT INTO access_interval_keys (interval_id, fingerprint, platform, account, observed, valid_from)
SELECT id, content_id, platform, account, 'unmanaged', valid_from FROM opened;
