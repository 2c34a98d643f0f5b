-- Audiences beyond e-ID (docs/adr/0015-audiences.md): people without sign-in, people verified by
-- e-mail, and residents applying for an organisation. tenant_id leads every key (ADR 3).

-- A private follow link of a case made without sign-in: /follow/<token>. Only the SHA-256 of the
-- token (32 random bytes) is kept, so a leaked table opens no case; the token is looked up by its
-- hash through the primary key (no scan, no comparison an attacker can time), one link per case.
CREATE TABLE follow_links (
  tenant_id text NOT NULL,
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  case_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, token_hash),
  UNIQUE (tenant_id, case_id),
  FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id)
);

-- One-time codes that verify an e-mail address. The code is kept hashed (with its row's id, so
-- equal codes hash differently); every check counts first, in the row, in the statement that reads
-- the hash: `attempts` never passes the limit however many checks run at once. A code is used once.
CREATE TABLE email_codes (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  code_hash text NOT NULL,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX email_codes_expiry ON email_codes (expires_at);

-- The organisation a draft is made for (a resident applying as its signatory): its number and
-- name as the business register gave them when the draft was started. NULL: the person's own.
ALTER TABLE drafts ADD COLUMN acting_for jsonb;

-- Cases of people verified by e-mail, found by their address when they come back.
CREATE INDEX case_parties_by_email ON case_parties (tenant_id, lower(email)) WHERE email_verified_at IS NOT NULL;
