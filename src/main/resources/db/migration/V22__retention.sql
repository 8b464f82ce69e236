-- Retention finds finished runs by age.
CREATE INDEX runs_finished ON runs (finished_at) WHERE finished_at IS NOT NULL;

-- The audit log stays append-only, with one exception: rows older than the audit retention may be
-- removed by prune_audit_log, and never rows of the last 30 days, whatever the setting says. The
-- function sets a transaction-local setting that the trigger honours only for such old rows.
-- SECURITY DEFINER: a deployment that runs testum as a role without DELETE on audit_log (the
-- schema owned by another role) can still let it prune, and only through this function.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cutoff timestamptz;
BEGIN
    IF TG_OP = 'DELETE' THEN
        cutoff := nullif(current_setting('testum.audit_prune_before', true), '')::timestamptz;
        IF cutoff IS NOT NULL AND cutoff <= now() - interval '30 days' AND OLD.at < cutoff THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE FUNCTION prune_audit_log(before timestamptz) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    removed bigint;
BEGIN
    IF before IS NULL OR before > now() - interval '30 days' THEN
        RAISE EXCEPTION 'audit_log keeps at least 30 days: % is too recent a cutoff', before;
    END IF;
    PERFORM set_config('testum.audit_prune_before', before::text, true);
    DELETE FROM audit_log WHERE at < before;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('testum.audit_prune_before', '', true);
    RETURN removed;
END;
$$;
