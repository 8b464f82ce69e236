-- The revision of the GitOps source that last wrote a Git-managed schedule (null for the API's).
ALTER TABLE schedules ADD COLUMN source_revision text;
