-- Reachability: the leader's periodic check of every platform's SSH port (a TCP connect and the
-- SSH banner, see testum.reachability.*). Only that check writes these columns; API and GitOps
-- changes of a platform leave them alone. (V5 is taken by another change.)

ALTER TABLE platforms
    ADD COLUMN reachability            text NOT NULL DEFAULT 'unknown'
                                       CHECK (reachability IN ('unknown', 'reachable', 'unreachable')),
    ADD COLUMN last_seen_at            timestamptz,   -- the last check that found the SSH banner
    ADD COLUMN latency_ms              integer,       -- connect + banner of the last check; NULL when unreachable
    ADD COLUMN reachability_checked_at timestamptz,
    ADD COLUMN reachability_error      text;          -- why the last check failed; NULL when reachable
CREATE INDEX platforms_reachability_idx ON platforms (reachability);
