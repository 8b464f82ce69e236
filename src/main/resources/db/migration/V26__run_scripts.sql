-- A run carries a command or a script (sent on stdin to an interpreter, with arguments and
-- environment). Environment values are sealed: only their names are ever shown.
ALTER TABLE runs ALTER COLUMN command DROP NOT NULL;
ALTER TABLE runs ADD COLUMN script text;
ALTER TABLE runs ADD COLUMN interpreter text;
ALTER TABLE runs ADD COLUMN args jsonb;
ALTER TABLE runs ADD COLUMN env_names jsonb;
ALTER TABLE runs ADD COLUMN env_sealed bytea;
ALTER TABLE runs ADD CONSTRAINT runs_command_or_script CHECK ((command IS NULL) <> (script IS NULL));
