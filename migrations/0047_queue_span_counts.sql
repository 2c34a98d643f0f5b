-- A second level of queue counts (ADR 0043, bench/queue): how many stand in each span of 32
-- consecutive values of the second key (a month of queue dates, say) within a first key. A position
-- is then the sum over the spans before its own, the blocks of its own span before its block, and
-- a count inside its block: a few dozen rows whatever the queue's age, where the blocks alone were
-- a row per day of two years. Kept as deltas by the same trigger, summed by the same job.
CREATE TABLE queue_span_counts (
  tenant_id text NOT NULL,
  service_id text NOT NULL,
  queue text NOT NULL,
  k1 bigint NOT NULL,
  -- k2 / 32 (keys are never negative: a group's index, a day number, metres).
  span bigint NOT NULL,
  n integer NOT NULL
);
CREATE INDEX queue_span_counts_span ON queue_span_counts (tenant_id, service_id, queue, k1, span) INCLUDE (n);

INSERT INTO queue_span_counts (tenant_id, service_id, queue, k1, span, n)
SELECT tenant_id, service_id, queue, k1, k2 / 32, sum(n) FROM queue_counts GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0;

CREATE OR REPLACE FUNCTION queue_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO queue_counts (tenant_id, service_id, queue, k1, k2, n) VALUES (OLD.tenant_id, OLD.service_id, OLD.queue, OLD.k1, OLD.k2, -1);
    INSERT INTO queue_span_counts (tenant_id, service_id, queue, k1, span, n) VALUES (OLD.tenant_id, OLD.service_id, OLD.queue, OLD.k1, OLD.k2 / 32, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO queue_counts (tenant_id, service_id, queue, k1, k2, n) VALUES (NEW.tenant_id, NEW.service_id, NEW.queue, NEW.k1, NEW.k2, 1);
    INSERT INTO queue_span_counts (tenant_id, service_id, queue, k1, span, n) VALUES (NEW.tenant_id, NEW.service_id, NEW.queue, NEW.k1, NEW.k2 / 32, 1);
  END IF;
  RETURN NULL;
END
$$;
