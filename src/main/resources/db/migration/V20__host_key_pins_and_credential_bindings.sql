-- Host keys are pinned per address, not per platform: deleting a platform and creating it again, or
-- a second platform at the same address, finds the pin in force. Only an admin removes a pin
-- (DELETE /api/platforms/{name}/host-key) or replaces it (declaring host_key).
CREATE TABLE host_key_pins (
    host        text        NOT NULL,                        -- lower case
    port        integer     NOT NULL CHECK (port BETWEEN 1 AND 65535),
    fingerprint text        NOT NULL,                        -- SHA256:..., as ssh-keygen -l prints it
    -- Whether testum may send a password to this key: the key was declared (by an admin or a GitOps
    -- source), or first seen at an address an admin or a GitOps source chose. A key first seen at an
    -- address an operator typed is good for key logins only until an admin declares it.
    trusted     boolean     NOT NULL,
    origin      text        NOT NULL CHECK (origin IN ('first_contact', 'declared')),
    pinned_by   text,                                        -- the admin, or the platform whose first contact pinned it
    pinned_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (host, port)
);

-- Keys learned before pins moved here: who chose their addresses is not known, so they keep working.
INSERT INTO host_key_pins (host, port, fingerprint, trusted, origin, pinned_by, pinned_at)
SELECT DISTINCT ON (lower(host), port) lower(host), port, pinned_host_key, true, 'first_contact', name,
       coalesce(pinned_at, now())
FROM platforms WHERE pinned_host_key IS NOT NULL
ORDER BY lower(host), port, pinned_at;

ALTER TABLE platforms DROP COLUMN pinned_host_key;
ALTER TABLE platforms DROP COLUMN pinned_at;

-- Whether an admin or a GitOps source chose the platform's host and port (false: an operator did).
ALTER TABLE platforms ADD COLUMN address_vouched boolean NOT NULL DEFAULT true;

-- Where an admin allows a credential to be used: platforms by name, and/or by labels (all must match).
-- By credential name, so that deleting and declaring a credential again (in Git or through the API)
-- does not drop the binding; only an admin changes it. No row: the credential may serve any platform.
CREATE TABLE credential_bindings (
    credential text        PRIMARY KEY,
    rule       jsonb       NOT NULL,                         -- {"platforms": [names], "selector": {labels}}
    updated_by text,
    updated_at timestamptz NOT NULL DEFAULT now()
);
