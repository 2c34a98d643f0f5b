-- Staff sign-in through a municipality's own identity provider (tenants.yaml: staffOidc). An
-- account is bound to the provider's issuer and subject (`sub`: stable and never reassigned),
-- never to a display name or username a provider may let people choose. The binding is made by
-- an administrator or `medborg staff bind-oidc`, never at sign-in; an identity without a binding
-- in the host's tenant is refused. tenant_id leads the key: a binding at one municipality means
-- nothing at another, even for the same provider and subject.
CREATE TABLE staff_oidc_identities (
  tenant_id text NOT NULL,
  issuer text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
  staff_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, issuer, subject),
  -- One identity of a provider per account: a second would be a second way in nobody sees.
  UNIQUE (tenant_id, staff_id, issuer),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES staff_accounts (tenant_id, id) ON DELETE CASCADE
);

-- The security officer reviews every account's changes of a tenant, newest first (the audit
-- view): role grants, resets and bindings that administrators made, their own included.
CREATE INDEX staff_account_events_by_time ON staff_account_events (tenant_id, created_at, id);
