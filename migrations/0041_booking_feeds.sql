-- A resident's own calendar feed of their bookings (/calendar/<token>.ics, issue 10). The token is
-- 32 random bytes (256 bits, base64url), shown once when it is made; only its SHA-256 is kept, and a
-- feed is found by that hash through the primary key, as follow_links are (ADR 0015). One feed per
-- resident: renewing replaces the row in one statement, so the old address stops working at once.
CREATE TABLE booking_feeds (
  tenant_id text NOT NULL,
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  resident_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, token_hash),
  UNIQUE (tenant_id, resident_id),
  FOREIGN KEY (tenant_id, resident_id) REFERENCES residents (tenant_id, id)
);

-- Staff's list of bookings awaiting approval reads them by this (few rows, read often).
CREATE INDEX bookings_requested ON bookings (tenant_id, starts_at) WHERE status = 'requested';
