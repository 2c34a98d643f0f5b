-- One open case per service and subject, for a service whose definition refuses duplicates
-- (subject.duplicates: refuse; docs/adr/0022-form-journey-guards.md). The submission writes its
-- claim in the statement that creates the case: of concurrent submissions for the same subject the
-- primary key lets exactly one through. The subject is kept as a SHA-256 of what identifies it (a
-- personal identity number, a property designation), never in clear. A claim whose case has since
-- reached a final state is released by the next submission that meets it.
CREATE TABLE subject_claims (
  tenant_id text NOT NULL,
  service_id text NOT NULL,
  subject_key text NOT NULL CHECK (subject_key ~ '^[0-9a-f]{64}$'),
  case_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, service_id, subject_key)
);
