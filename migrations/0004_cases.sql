-- Drafts, cases and their archive journal, attachments, documents, the staff audit log and the outbox.
-- tenant_id leads every primary key (docs/adr/0003-tenancy.md).

CREATE TABLE drafts (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  service_id text NOT NULL,
  owner_id uuid NOT NULL,
  answers jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Steps the applicant has passed with valid answers, to resume at the first unfinished one.
  completed_steps text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  submitted_case_id uuid,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX drafts_open_by_owner ON drafts (tenant_id, owner_id, service_id) WHERE submitted_case_id IS NULL;
CREATE INDEX drafts_expiry ON drafts (expires_at) WHERE submitted_case_id IS NULL;

CREATE TABLE cases (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  reference text NOT NULL,
  service_id text NOT NULL,
  department text NOT NULL,
  applicant_id uuid NOT NULL,
  -- Who the case is about when not the applicant (a child), copied from the register at submission.
  subject jsonb,
  answers jsonb NOT NULL,
  -- The applicant's language: letters are produced in it (and always in Swedish).
  locale text NOT NULL,
  status text NOT NULL,
  status_changed_at timestamptz NOT NULL,
  -- When the case becomes overdue in its current state, from the definition's deadlineDays.
  due_at timestamptz,
  assignee_id uuid,
  decision jsonb,
  draft_id uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- Head of this case's journal chain: its last entry's number and hash.
  journal_seq integer NOT NULL,
  journal_head text NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, reference),
  UNIQUE (tenant_id, draft_id)
);
CREATE INDEX cases_inbox ON cases (tenant_id, department, created_at DESC, id DESC);
CREATE INDEX cases_by_status ON cases (tenant_id, department, status, created_at DESC, id DESC);
CREATE INDEX cases_by_applicant ON cases (tenant_id, applicant_id, created_at DESC);
CREATE INDEX cases_due ON cases (tenant_id, department, due_at) WHERE due_at IS NOT NULL;

-- The archive journal: every change to a case, appended in the same transaction as the change,
-- chained per case by SHA-256 (docs/adr/0004-journal.md). Never updated, never deleted.
CREATE TABLE journal (
  tenant_id text NOT NULL,
  case_id uuid NOT NULL,
  seq integer NOT NULL,
  kind text NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('resident', 'staff', 'system')),
  actor_id uuid,
  payload jsonb NOT NULL,
  recorded_at timestamptz NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (tenant_id, case_id, seq)
);

CREATE TABLE attachments (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  uploaded_by_kind text NOT NULL,
  uploaded_by uuid NOT NULL,
  filename text NOT NULL,
  content_type text NOT NULL,
  size_bytes integer NOT NULL,
  sha256 text NOT NULL,
  blob_key text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX attachments_by_case ON attachments (tenant_id, case_id, created_at);

-- Documents the platform produces (receipts, decision letters); rendered when first downloaded.
CREATE TABLE documents (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('receipt', 'decision_letter')),
  locale text NOT NULL,
  blob_key text,
  sha256 text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, case_id, kind, locale)
);

-- Who read what: every staff view of a case, a document or a file.
CREATE TABLE audit_log (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  at timestamptz NOT NULL,
  staff_id uuid NOT NULL,
  action text NOT NULL,
  object_type text NOT NULL,
  object_id text NOT NULL,
  case_id uuid,
  reason text,
  request_id text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_by_time ON audit_log (tenant_id, at DESC, id DESC);
CREATE INDEX audit_log_by_case ON audit_log (tenant_id, case_id, at DESC);

-- Transactional outbox: messages to send (e-mail now, webhooks later), written in the same
-- transaction as the change that causes them and delivered by a worker.
CREATE TABLE outbox (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  available_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  sent_at timestamptz,
  last_error text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbox_pending ON outbox (available_at) WHERE sent_at IS NULL;

-- Demo mode's mailbox: e-mail "sent" in demo mode lands here and is shown at /dev/mailbox.
CREATE TABLE dev_mailbox (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  sent_at timestamptz NOT NULL,
  to_address text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- The next case number of a tenant, from its own sequence (created at start-up per configured
-- tenant). Sequences never block, so concurrent submissions never wait for each other.
CREATE FUNCTION next_case_number(tenant_id text) RETURNS bigint LANGUAGE sql VOLATILE AS $$ SELECT nextval(format('%I', 'case_ref_' || tenant_id)::regclass) $$;
