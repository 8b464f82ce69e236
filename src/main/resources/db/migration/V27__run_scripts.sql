-- A run carries a command or a script (sent on stdin to an interpreter, with arguments and
-- environment). Environment values are sealed: only their names are ever shown.
ALTER TABLE runs ALTER COLUMN command DROP NOT NULL;
ALTER TABLE runs ADD COLUMN script text;
ALTER TABLE runs ADD COLUMN interpreter text;
ALTER TABLE runs ADD COLUMN args jsonb;
ALTER TABLE runs ADD COLUMN env_names jsonb;
ALTER TABLE runs ADD COLUMN env_sealed bytea;
ALTER TABLE runs ADD CONSTRAINT runs_command_or_script CHECK ((command IS NULL) <> (script IS NULL));

-- The due time of the schedule firing that started a run: one run per (requester, due time),
-- whichever replica or restart fires it.
ALTER TABLE runs ADD COLUMN scheduled_for timestamptz;
CREATE UNIQUE INDEX runs_one_per_firing ON runs (requested_by, scheduled_for) WHERE scheduled_for IS NOT NULL;
