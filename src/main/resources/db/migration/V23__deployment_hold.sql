-- Why a deployment is held back (a collision of platform addresses, or a block testum refuses to
-- write), typed; it was told only by how last_error began. last_error keeps its text.
ALTER TABLE deployments ADD COLUMN hold text CHECK (hold IN ('collision', 'refused'));
UPDATE deployments SET hold = CASE WHEN starts_with(last_error, 'collision:') THEN 'collision'
                                   WHEN starts_with(last_error, 'refused:') THEN 'refused' END
 WHERE starts_with(last_error, 'collision:') OR starts_with(last_error, 'refused:');
