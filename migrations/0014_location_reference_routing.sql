-- Case references between cases, and the team a routing rule sends a case to (ADR 0020).

-- The team (one of the service's declared roles) the definition's routing rule named at
-- submission; the department it named is the case's department, as before.
ALTER TABLE cases ADD COLUMN team text;

-- A link between two cases of the same tenant, written with the submission that made it (a change
-- of hours referring to the placement it changes). Stored once per direction, so either case's
-- page reads its links with its own id; `field_id` is the answer that made the link, on the case
-- that made it (`made_here`), so both pages can say which refers to which.
CREATE TABLE case_links (
  tenant_id text NOT NULL,
  case_id uuid NOT NULL,
  linked_case_id uuid NOT NULL,
  field_id text NOT NULL,
  made_here boolean NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, case_id, linked_case_id, field_id),
  FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, linked_case_id) REFERENCES cases (tenant_id, id) ON DELETE CASCADE
);
