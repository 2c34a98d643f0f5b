-- The booking engine (docs/adr/0038): bookings, the time each holds on each resource, and seats.
--
-- Two bookings never hold one resource at one time: each holds a claim per resource, and the
-- exclusion constraint refuses an active claim that overlaps another, whichever transaction
-- commits first (the other waits, then fails with 23P01). btree_gist lets the constraint compare
-- the tenant and resource with = beside the time ranges' &&.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- One booking: who booked what, its state, its price and its hold while payment is pending.
--   status: held (awaiting payment until hold_until), requested (awaiting staff approval),
--           waiting (on a full course's waiting list), booked, cancelled, refused, lapsed (the
--           hold ran out); blocks are staff's own.
CREATE TABLE bookings (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  service_id text NOT NULL,
  kind text NOT NULL DEFAULT 'booking' CHECK (kind IN ('booking', 'block')),
  status text NOT NULL CHECK (status IN ('held', 'requested', 'waiting', 'booked', 'cancelled', 'refused', 'lapsed')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  -- Who booked: the owner id as for drafts (a resident's id, or a browser session's owner), and what
  -- they booked as (resident, association, company) and for whom (an organisation's number).
  owner_id text,
  customer_type text,
  organisation_number text,
  seats integer NOT NULL DEFAULT 1 CHECK (seats > 0),
  price_ore bigint NOT NULL DEFAULT 0 CHECK (price_ore >= 0),
  hold_until timestamptz,
  payment_id uuid,
  case_id uuid,
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  changed_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX bookings_owner ON bookings (tenant_id, owner_id, starts_at);
CREATE INDEX bookings_expired_holds ON bookings (tenant_id, hold_until) WHERE status = 'held';

-- One row per resource ever booked: a booking locks its resources' rows (in id order) before it
-- writes claims, so bookings of one resource take turns and a loser fails at once with 23P01,
-- instead of two inserts of conflicting claims each waiting for the other (a deadlock PostgreSQL
-- breaks only after deadlock_timeout). Bookings of different resources do not wait for each other.
CREATE TABLE booking_resources (
  tenant_id text NOT NULL,
  resource_id text NOT NULL,
  PRIMARY KEY (tenant_id, resource_id)
);

-- The time a booking holds on one resource: [start, end + the resource's buffer).
CREATE TABLE booking_claims (
  tenant_id text NOT NULL,
  booking_id uuid NOT NULL,
  resource_id text NOT NULL,
  occupies tstzrange NOT NULL CHECK (NOT isempty(occupies)),
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (tenant_id, booking_id, resource_id),
  FOREIGN KEY (tenant_id, booking_id) REFERENCES bookings (tenant_id, id),
  CONSTRAINT booking_claims_no_overlap EXCLUDE USING gist (tenant_id WITH =, resource_id WITH =, occupies WITH &&) WHERE (active)
);

-- Seats of a course or session: taken never passes capacity (one conditional UPDATE decides).
CREATE TABLE booking_seats (
  tenant_id text NOT NULL,
  resource_id text NOT NULL,
  -- The occurrence: a course's start, or a session's.
  starts_at timestamptz NOT NULL,
  capacity integer NOT NULL CHECK (capacity >= 0),
  taken integer NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= capacity),
  PRIMARY KEY (tenant_id, resource_id, starts_at)
);

-- Which seats a booking takes (its seats: bookings.seats); while it waits for them, since when —
-- the waiting list's order (then the booking's id).
CREATE TABLE booking_enrolments (
  tenant_id text NOT NULL,
  booking_id uuid NOT NULL,
  resource_id text NOT NULL,
  starts_at timestamptz NOT NULL,
  waiting_since timestamptz,
  PRIMARY KEY (tenant_id, booking_id),
  FOREIGN KEY (tenant_id, booking_id) REFERENCES bookings (tenant_id, id),
  FOREIGN KEY (tenant_id, resource_id, starts_at) REFERENCES booking_seats (tenant_id, resource_id, starts_at)
);
CREATE INDEX booking_enrolments_waiting ON booking_enrolments (tenant_id, resource_id, starts_at, waiting_since, booking_id) WHERE waiting_since IS NOT NULL;
