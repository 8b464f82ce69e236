-- Alerts declared in a GitOps document. A document never carries a signing secret and may leave out
-- the URL (a Slack URL is its own secret): such an alert waits, sending nothing, until the API sets
-- what is missing. The SHA-256 of a URL a document gave lets an unchanged document be seen as
-- unchanged without opening the sealed URL; it is null for a URL sent through the API.
ALTER TABLE alerts ALTER COLUMN url_sealed DROP NOT NULL;
ALTER TABLE alerts ALTER COLUMN url_shown DROP NOT NULL;
ALTER TABLE alerts ADD COLUMN url_digest text;
-- The revision of the GitOps source that last wrote a Git-managed alert (null for the API's).
ALTER TABLE alerts ADD COLUMN source_revision text;
