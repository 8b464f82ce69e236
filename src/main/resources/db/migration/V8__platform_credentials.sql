-- A credential sent inline with a platform (the earlier testum API's "password" or "private_key" on
-- POST/PUT /api/platforms) belongs to that platform: no other platform may log in with it, and it goes
-- when the platform goes.
ALTER TABLE credentials ADD COLUMN owner_platform_id bigint REFERENCES platforms (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX credentials_owner_platform_idx ON credentials (owner_platform_id) WHERE owner_platform_id IS NOT NULL;
