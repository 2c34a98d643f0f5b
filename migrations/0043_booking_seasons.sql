-- Seasonal allocation (docs/adr/0041): associations apply for weekly times over a season (every
-- Tuesday 18:00–19:30 in a hall, from August to December); staff see every application's times side
-- by side with the conflicts, decide, and allocate the whole season in one transaction, which turns
-- each granted weekly time into a booking per week (claims under the same exclusion constraint as
-- every booking: bookings.case_id is the application's case).

-- One weekly time an application asks for, written in the application's transaction.
CREATE TABLE season_requests (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  service_id text NOT NULL,
  -- The season instance: the definition's period and its year ("autumn-2027").
  season_id text NOT NULL,
  case_id uuid,
  draft_id uuid NOT NULL,
  -- The application's own order of its times (1 first).
  rank integer NOT NULL CHECK (rank > 0),
  resource_id text NOT NULL,
  weekday text NOT NULL CHECK (weekday IN ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')),
  -- Local wall-clock times, as the definition's opening hours ("18:00", "19:30").
  from_time text NOT NULL CHECK (from_time ~ '^[0-2][0-9]:[0-5][0-9]$'),
  to_time text NOT NULL CHECK (to_time ~ '^[0-2][0-9]:[0-5][0-9]$' AND to_time > from_time),
  -- Who goes first when two ask for one time: the definition's priority group (0 first), then the
  -- application's submission (its case's created_at), then rank.
  priority integer NOT NULL DEFAULT 0,
  owner_id text,
  customer_type text,
  organisation_number text,
  -- Staff's decision over the engine's proposal (NULL: as proposed), and who made it.
  decision text CHECK (decision IN ('given', 'refused')),
  decided_by text,
  decided_at timestamptz,
  -- What the allocation gave it, and how many of its weeks became bookings.
  outcome text CHECK (outcome IN ('given', 'refused')),
  booked integer,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX season_requests_season ON season_requests (tenant_id, service_id, season_id);
CREATE INDEX season_requests_case ON season_requests (tenant_id, case_id);

-- A season's lock and its allocation. Staff's decisions and the allocation take the row's lock first
-- (an upsert makes it on first use), so a decision never slips in beside an allocation, and of two
-- allocations at once the second finds allocated_at set.
CREATE TABLE booking_seasons (
  tenant_id text NOT NULL,
  service_id text NOT NULL,
  season_id text NOT NULL,
  allocated_at timestamptz,
  allocated_by text,
  summary jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, service_id, season_id)
);
