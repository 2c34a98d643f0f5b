-- Core tables: people who sign in with e-ID, and sessions.
-- Every table carries tenant_id first in its primary key (see docs/adr/0003-tenancy.md).

CREATE TABLE residents (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  personal_number text NOT NULL,
  given_name text NOT NULL,
  family_name text NOT NULL,
  email text,
  phone text,
  locale text NOT NULL DEFAULT 'sv',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, personal_number)
);

CREATE TABLE sessions (
  tenant_id text NOT NULL,
  -- SHA-256 of the cookie's token: a leaked table does not give working sessions.
  id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('anonymous', 'resident', 'staff', 'staff_pending')),
  subject_id uuid,
  locale text NOT NULL DEFAULT 'sv',
  csrf_token text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
