-- Owned by inventory, which alone writes platforms: the columns other owners may join on when they
-- read (deployments listed by platform name, grants matched by labels). A read-only contract, so
-- the table behind it can change without their SQL changing.
CREATE VIEW platform_names AS SELECT id, name, labels FROM platforms;
