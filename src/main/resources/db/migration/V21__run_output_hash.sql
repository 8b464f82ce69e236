-- Groups of a run's hosts (same exit code, stdout and stderr) are found by a hash of the outputs,
-- so grouping a run of 1,000 hosts with a megabyte each reads no output.
ALTER TABLE run_hosts ADD COLUMN output_hash bytea
    GENERATED ALWAYS AS (sha256(sha256(stdout) || sha256(stderr))) STORED;
CREATE INDEX run_hosts_groups ON run_hosts (run_id, exit_code, output_hash);
