-- The SSH host key an admin declares for an ssh:// GitOps source (SHA256:..., as ssh-keygen -l prints
-- it). It wins over the key pinned at first contact (ssh_host_key); under
-- testum.ssh.host-key-policy=strict a source without it is not fetched.
ALTER TABLE gitops_sources ADD COLUMN host_key text;

-- Fetch errors used to be stored with the source URL as given, user-info (a token) included:
-- mask it in what is stored, as testum now does before storing.
UPDATE gitops_sources SET message = regexp_replace(message, '([A-Za-z][A-Za-z0-9+.-]*://)[^/?#[:space:]]*@', '\1***@', 'g')
    WHERE message LIKE '%://%@%';
UPDATE reconcile_runs SET message = regexp_replace(message, '([A-Za-z][A-Za-z0-9+.-]*://)[^/?#[:space:]]*@', '\1***@', 'g')
    WHERE message LIKE '%://%@%';
