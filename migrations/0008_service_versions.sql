-- Definition versions (ADR 0010). Every definition a node starts with (per tenant, after the
-- municipality's overrides) is kept here, so a case or draft is read with the version of its
-- definition it was made under, even after the catalogue has moved on. `version` is the author's
-- number; an edit that keeps it is an editorial fix that cases of that version follow (the row is
-- updated, after start-up has checked that no case would be stranded), `hash` tells the two apart.
CREATE TABLE service_versions (
  tenant_id text NOT NULL,
  service_id text NOT NULL,
  version integer NOT NULL,
  -- SHA-256 of the definition's canonical JSON (without the file it was read from).
  hash text NOT NULL,
  definition jsonb NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, service_id, version)
);

-- The version each case and draft was made under. Rows made before versions existed are version 1,
-- and the definition they were made under is the one the next start-up stores as version 1.
ALTER TABLE cases ADD COLUMN service_version integer NOT NULL DEFAULT 1;
ALTER TABLE drafts ADD COLUMN service_version integer NOT NULL DEFAULT 1;
-- Start-up counts a version's cases by state before it accepts an edit of that version.
CREATE INDEX cases_by_service_version ON cases (tenant_id, service_id, service_version, status);
