-- Attempt counters for sign-in limits (per client address, per username): in the database, so every
-- node counts into the same row, and one INSERT … ON CONFLICT DO UPDATE both counts an attempt and
-- decides whether it may go on, before the password or code is checked (kernel/http/attempt-limit.ts).
-- A fixed window per key: the count starts at 1 with window_start and is allowed while at most the
-- limit's max; the first attempt after expires_at starts a new window. Expired rows are purged by a job.

CREATE TABLE attempt_counters (
  tenant_id text NOT NULL,
  -- The limit's name and what it counts, e.g. 'staff-sign-in-username:anna' (bounded by the code).
  key text NOT NULL CHECK (length(key) <= 300),
  window_start timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  attempts integer NOT NULL CHECK (attempts >= 0),
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX attempt_counters_expiry ON attempt_counters (expires_at);
