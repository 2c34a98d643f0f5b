-- Allocation rounds (docs/adr/0044, 0045): staff open a round for a service with `allocation:`
-- (school choice, upper-secondary admission, summer jobs, camps), freeze its inputs — a canonical
-- snapshot of every application's choices with its priority group and merit per school, and the
-- schools' capacities — with a fresh seed, preview the run on the snapshot, and publish it.

-- Journal chains that are not cases (ADR 0045). A chain's entries are rows of `journal` whose
-- case_id is the chain's id (a round's); its head is kept here, as a case keeps its own on its row,
-- and its first entry links to a genesis value derived from its kind, tenant and id, so an entry of
-- one kind of chain can never pass for another's. `medborg archive verify` checks these chains too.
CREATE TABLE journal_chains (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('allocation_round')),
  -- 0 and '' only inside the transaction that makes the chain with its first entry.
  journal_seq integer NOT NULL CHECK (journal_seq >= 0),
  journal_head text NOT NULL,
  -- The head entry's time (the database's): the next entry is never recorded before it.
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE allocation_rounds (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  service_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'frozen', 'published')),
  opened_at timestamptz NOT NULL,
  opened_by uuid NOT NULL,
  -- Set by the freeze, in one conditional UPDATE (status = 'open'): of two freezes one wins.
  frozen_at timestamptz,
  frozen_by uuid,
  -- SHA-256 of the canonical snapshot, and the 256-bit seed, both hex; published on the round's public page.
  inputs_hash text CHECK (inputs_hash ~ '^[0-9a-f]{64}$'),
  seed text CHECK (seed ~ '^[0-9a-f]{64}$'),
  applications integer,
  -- Set by the publication, in one conditional UPDATE (status = 'frozen'): of two publications one wins.
  published_at timestamptz,
  published_by uuid,
  result_hash text CHECK (result_hash ~ '^[0-9a-f]{64}$'),
  -- Counts for the lists (placed, placed nowhere, cases no longer in the round's states).
  summary jsonb,
  PRIMARY KEY (tenant_id, id),
  CHECK ((status = 'open') = (frozen_at IS NULL)),
  CHECK ((status = 'published') = (published_at IS NOT NULL))
);
-- One round at a time per service: a case is never in two unpublished rounds.
CREATE UNIQUE INDEX allocation_rounds_one_unpublished ON allocation_rounds (tenant_id, service_id) WHERE status <> 'published';
CREATE INDEX allocation_rounds_service ON allocation_rounds (tenant_id, service_id, opened_at);
