-- Parties on a case (docs/adr/0011-parties-and-roles.md). A case had exactly one party, the
-- resident in cases.applicant_id, and its subject as a copy of a child in cases.subject. A case
-- now has parties, each with a role on the case and a kind that says who or what it is:
--   role: applicant, co_applicant (a co-signer: the second custodian, a co-owner), representative
--         (acting for an organisation or a person: acting_for), subject (who or what it is about);
--   kind: resident (a person with e-ID: resident_id once they have signed in, and/or the personal
--         number the register gave, so a party who has never signed in is still known), email (a
--         person verified by e-mail; verified_at is set by the verification), organisation
--         (organisation number and name), and for subjects only child, property, vehicle, place.
-- Reads by person go through the party rows (My cases, the policy); the case row keeps no party.
-- tenant_id leads the key (docs/adr/0003-tenancy.md). Written for PostgreSQL 15 and PGlite alike.

CREATE TABLE case_parties (
  tenant_id text NOT NULL,
  case_id uuid NOT NULL,
  id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('applicant', 'co_applicant', 'representative', 'subject')),
  kind text NOT NULL CHECK (kind IN ('resident', 'email', 'organisation', 'child', 'property', 'vehicle', 'place')),
  resident_id uuid,
  personal_number text,
  email text CHECK (length(email) BETWEEN 3 AND 254),
  email_verified_at timestamptz,
  organisation_number text CHECK (organisation_number ~ '^[0-9]{6}-?[0-9]{4}$'),
  -- A property designation, a registration number, a place's id: what the register knows it by.
  identifier text CHECK (length(identifier) BETWEEN 1 AND 200),
  -- How people read the party: a person's or organisation's name, a child's name, an address.
  name text CHECK (length(name) BETWEEN 1 AND 500),
  -- Display data copied when the case was made (a child's birth date, a place's coordinates).
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- A representative's principal: another party of the same case.
  acting_for uuid,
  -- A co-applicant's answer to the co-signing request, and when it was given (or asked for).
  status text CHECK (status IN ('pending', 'approved', 'rejected')),
  status_at timestamptz,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, case_id, id),
  FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id),
  FOREIGN KEY (tenant_id, case_id, acting_for) REFERENCES case_parties (tenant_id, case_id, id),
  -- Each kind carries what identifies it.
  CHECK (kind <> 'resident' OR resident_id IS NOT NULL OR personal_number IS NOT NULL),
  CHECK (kind <> 'email' OR email IS NOT NULL),
  CHECK (kind <> 'organisation' OR (organisation_number IS NOT NULL AND name IS NOT NULL)),
  CHECK (kind <> 'child' OR (personal_number IS NOT NULL AND name IS NOT NULL)),
  CHECK (kind NOT IN ('property', 'vehicle', 'place') OR identifier IS NOT NULL),
  -- Things and children are what a case is about, never who acts on it.
  CHECK (kind NOT IN ('child', 'property', 'vehicle', 'place') OR role = 'subject'),
  CHECK (role = 'representative' OR acting_for IS NULL),
  CHECK (email_verified_at IS NULL OR email IS NOT NULL),
  -- Only a co-applicant answers a co-signing request; the answer carries its time.
  CHECK ((role = 'co_applicant') = (status IS NOT NULL)),
  CHECK ((status IS NULL) = (status_at IS NULL))
);
-- My cases and the policy: the cases a person is a party to, by account or by personal number.
CREATE INDEX case_parties_by_resident ON case_parties (tenant_id, resident_id) WHERE resident_id IS NOT NULL;
CREATE INDEX case_parties_by_personal_number ON case_parties (tenant_id, personal_number) WHERE personal_number IS NOT NULL;
-- One applicant and one subject per case at most (an anonymous report has no applicant).
CREATE UNIQUE INDEX case_parties_one_applicant ON case_parties (tenant_id, case_id) WHERE role = 'applicant';
CREATE UNIQUE INDEX case_parties_one_subject ON case_parties (tenant_id, case_id) WHERE role = 'subject';

-- Every existing case's applicant and subject move into parties; nothing else is derived from them.
-- The party ids are new; the journal never held them, so no chain changes.
INSERT INTO case_parties (tenant_id, case_id, id, role, kind, resident_id, personal_number, name, created_at)
SELECT c.tenant_id, c.id, gen_random_uuid(), 'applicant', 'resident', c.applicant_id, r.personal_number,
       CASE WHEN r.id IS NULL THEN NULL ELSE r.given_name || ' ' || r.family_name END, c.created_at
  FROM cases c LEFT JOIN residents r ON r.tenant_id = c.tenant_id AND r.id = c.applicant_id
 WHERE c.applicant_id IS NOT NULL;

INSERT INTO case_parties (tenant_id, case_id, id, role, kind, personal_number, name, details, created_at)
SELECT c.tenant_id, c.id, gen_random_uuid(), 'subject', 'child', c.subject ->> 'personalNumber', c.subject ->> 'name',
       CASE WHEN c.subject ? 'birthDate' THEN jsonb_build_object('birthDate', c.subject -> 'birthDate') ELSE '{}'::jsonb END,
       c.created_at
  FROM cases c
 WHERE c.subject IS NOT NULL AND jsonb_typeof(c.subject) = 'object';

DROP INDEX cases_by_applicant;
ALTER TABLE cases DROP COLUMN applicant_id;
ALTER TABLE cases DROP COLUMN subject;

-- Staff roles: the built-in three plus the roles the tenant's service definitions declare (a case
-- officer with the delegation to decide, a unit head). Which roles a tenant knows is the
-- application's to check, from its catalogue; the database keeps them well-formed.
ALTER TABLE staff_accounts DROP CONSTRAINT staff_accounts_roles_check;
ALTER TABLE staff_accounts ADD CONSTRAINT staff_accounts_roles_check
  CHECK (array_to_string(roles, ',') ~ '^([a-z][a-z0-9_]{0,62}(,[a-z][a-z0-9_]{0,62})*)?$');
