-- Queues (docs/adr/0043): an application of a service with a `queue` section stands in one queue per
-- choice (each pre-school it ranked; a service without choices has one queue), ordered by the
-- definition's rules. A row is a place in a queue; it is written with the case (the submission's
-- statement) and goes when the case ends.
CREATE TABLE queue_entries (
  tenant_id text NOT NULL,
  service_id text NOT NULL,
  -- The register entry the queue is for ("" for a service's one queue).
  queue text NOT NULL,
  case_id uuid NOT NULL,
  -- Where the applicant ranked this queue among their choices (0 first).
  rank smallint NOT NULL CHECK (rank >= 0),
  -- The definition's priority group the applicant is in for this queue (0 first; the number of
  -- groups when in none), the queue date — the application's, kept when choices change — and the
  -- distance from the home address to the unit in metres (NULL: unknown, last).
  grp smallint NOT NULL CHECK (grp >= 0),
  queue_date date NOT NULL,
  distance_m integer CHECK (distance_m >= 0),
  -- The final tie-break: the application's arrival (a sequence) or a lottery number, as the
  -- definition says; never the clock.
  tie bigint NOT NULL,
  -- The order: the definition's rules as three numbers, then tie (queue engine's sortKey).
  k1 bigint NOT NULL,
  k2 bigint NOT NULL,
  k3 bigint NOT NULL,
  joined_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, service_id, queue, case_id)
);

-- A position is the number of entries before one in this order: an index range, counted.
CREATE INDEX queue_entries_order ON queue_entries (tenant_id, service_id, queue, k1, k2, k3, tie);
CREATE INDEX queue_entries_by_case ON queue_entries (tenant_id, case_id);

-- How many stand in each block of a queue — a block is the places with the same first two keys (a
-- priority group and a queue date, say) — so a position is a sum over the blocks before it plus a
-- count inside its own block, never a count of the whole queue (bench/queue). Kept as deltas: each
-- change of queue_entries appends +1 or -1 (a trigger, so no path can forget it), never updating a
-- row, so joins on the same day never wait for each other's lock; a job sums a block's deltas into
-- one row now and then (queue engine's compactQueueCounts).
CREATE TABLE queue_counts (
  tenant_id text NOT NULL,
  service_id text NOT NULL,
  queue text NOT NULL,
  k1 bigint NOT NULL,
  k2 bigint NOT NULL,
  n integer NOT NULL
);
CREATE INDEX queue_counts_block ON queue_counts (tenant_id, service_id, queue, k1, k2) INCLUDE (n);

CREATE FUNCTION queue_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO queue_counts (tenant_id, service_id, queue, k1, k2, n) VALUES (OLD.tenant_id, OLD.service_id, OLD.queue, OLD.k1, OLD.k2, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO queue_counts (tenant_id, service_id, queue, k1, k2, n) VALUES (NEW.tenant_id, NEW.service_id, NEW.queue, NEW.k1, NEW.k2, 1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER queue_entries_count AFTER INSERT OR DELETE OR UPDATE ON queue_entries FOR EACH ROW EXECUTE FUNCTION queue_count_change();

-- A case that ends (reaches a final state of its definition: decided, withdrawn, closed) leaves
-- every queue it stood in, whichever path changed it. The definition is the stored version the
-- case was made under (service_versions), so no node's catalogue is consulted.
CREATE FUNCTION queue_leave_when_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status
     AND EXISTS (SELECT 1 FROM queue_entries q WHERE q.tenant_id = NEW.tenant_id AND q.case_id = NEW.id)
     AND EXISTS (
       SELECT 1 FROM service_versions v
        WHERE v.tenant_id = NEW.tenant_id AND v.service_id = NEW.service_id AND v.version = NEW.service_version
          AND jsonb_path_exists(v.definition, '$.workflow.states[*] ? (@.id == $s && @.final == true)', jsonb_build_object('s', NEW.status))
     ) THEN
    DELETE FROM queue_entries q WHERE q.tenant_id = NEW.tenant_id AND q.case_id = NEW.id;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER cases_leave_queues AFTER UPDATE OF status ON cases FOR EACH ROW EXECUTE FUNCTION queue_leave_when_final();
