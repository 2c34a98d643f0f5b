-- Staff accounts: municipal employees who sign in with a password and a TOTP second factor.
-- Every table carries tenant_id first in its primary key (docs/adr/0003-tenancy.md): a staff
-- account belongs to one municipality and signs in only on that municipality's host names.

CREATE TABLE staff_accounts (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  username text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  -- argon2id, PHC string format ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
  password_hash text NOT NULL,
  password_changed_at timestamptz NOT NULL,
  -- Set when an administrator chose the password: the owner must replace it at next sign-in.
  password_must_change boolean NOT NULL DEFAULT false,
  -- The TOTP secret, encrypted with AES-256-GCM under a key derived from SESSION_SECRET and bound
  -- to (tenant_id, id): a leaked table does not give working second factors. Present but not
  -- enrolled while the owner is enrolling; NULL after a reset.
  totp_secret text,
  totp_enrolled_at timestamptz,
  -- The last accepted TOTP time step: a code (or an older one) is never accepted twice.
  totp_last_counter bigint,
  roles text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY['admin', 'handler', 'security_officer']::text[]),
  -- Department ids from the tenant's entry in tenants.yaml (checked by the application).
  departments text[] NOT NULL DEFAULT '{}',
  -- Consecutive failed password or code attempts; reaching the limit sets locked_until.
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  last_sign_in_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, username)
);

-- One-time recovery codes, for when the authenticator app is lost. Stored as HMAC-SHA-256 under a
-- key derived from SESSION_SECRET; a code is spent by setting used_at (never reused).
CREATE TABLE staff_recovery_codes (
  tenant_id text NOT NULL,
  staff_id uuid NOT NULL,
  code_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (tenant_id, staff_id, code_hash),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff_accounts (tenant_id, id) ON DELETE CASCADE
);

-- Who changed what on an account, and when: appended, never edited. actor_id is NULL when the
-- change came from the command line or the system itself (actor then says which).
CREATE TABLE staff_account_events (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  staff_id uuid NOT NULL,
  actor_id uuid,
  actor text NOT NULL,
  action text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff_accounts (tenant_id, id)
);
CREATE INDEX staff_account_events_by_account ON staff_account_events (tenant_id, staff_id, created_at);
