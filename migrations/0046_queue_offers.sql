-- Offers (docs/adr/0046): a unit's places per age group and date, the vacancies staff open when a
-- place becomes free (a child leaving, a new group), and the offers made from them to the next in
-- line, each answered (accepted, said no) by the applicant with e-ID or lapsing at its deadline.

-- How many places a unit (a queue) has for an age group from a date. The register entry's `places`
-- are the start; a row here is staff's edit and wins for its queue, age group and date.
CREATE TABLE queue_capacities (
  tenant_id text NOT NULL,
  service_id text NOT NULL,
  queue text NOT NULL,
  -- The definition's age group ("" when the queue has none).
  age_group text NOT NULL,
  from_date date NOT NULL,
  seats integer NOT NULL CHECK (seats >= 0 AND seats <= 100000),
  changed_by uuid NOT NULL,
  changed_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, service_id, queue, age_group, from_date)
);

-- A place that is free from a date, to be offered in the queue's order until someone accepts it.
CREATE TABLE queue_vacancies (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  service_id text NOT NULL,
  queue text NOT NULL,
  age_group text NOT NULL,
  start_date date NOT NULL,
  -- open: being offered (or waiting for someone who fits); filled: an offer was accepted;
  -- ended: the child placed on it left (the place counts no more); withdrawn: staff took it back.
  status text NOT NULL CHECK (status IN ('open', 'filled', 'ended', 'withdrawn')),
  opened_by uuid NOT NULL,
  opened_at timestamptz NOT NULL,
  filled_by_case uuid,
  closed_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX queue_vacancies_of_queue ON queue_vacancies (tenant_id, service_id, queue, status, start_date);

-- An offer of a vacancy to one application. The partial unique indexes are the rules no race can
-- break: a vacancy has at most one open offer and at most one accepted, an application at most
-- one open offer at a time. Answers and lapses are conditional UPDATEs (status = 'open').
CREATE TABLE queue_offers (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  vacancy_id uuid NOT NULL,
  case_id uuid NOT NULL,
  service_id text NOT NULL,
  queue text NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'accepted', 'said_no', 'expired', 'withdrawn')),
  offered_at timestamptz NOT NULL,
  reply_by timestamptz NOT NULL,
  answered_at timestamptz,
  -- The resident who answered (their e-ID), or NULL for a lapse.
  answered_by uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, vacancy_id) REFERENCES queue_vacancies (tenant_id, id)
);
CREATE UNIQUE INDEX queue_offers_one_open_per_vacancy ON queue_offers (tenant_id, vacancy_id) WHERE status = 'open';
CREATE UNIQUE INDEX queue_offers_one_accepted_per_vacancy ON queue_offers (tenant_id, vacancy_id) WHERE status = 'accepted';
CREATE UNIQUE INDEX queue_offers_one_open_per_case ON queue_offers (tenant_id, case_id) WHERE status = 'open';
CREATE INDEX queue_offers_of_case ON queue_offers (tenant_id, case_id);
CREATE INDEX queue_offers_due ON queue_offers (reply_by) WHERE status = 'open';

-- An application that ends while it holds an open offer (withdrawn, decided) gives the offer back,
-- whichever path ended it: the offer is withdrawn and its vacancy, open again, goes to the next in
-- line (the offers job). An accepted offer is closed before its case's status changes, so it stays.
CREATE FUNCTION queue_offer_withdraw_when_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status
     AND EXISTS (SELECT 1 FROM queue_offers o WHERE o.tenant_id = NEW.tenant_id AND o.case_id = NEW.id AND o.status = 'open')
     AND EXISTS (
       SELECT 1 FROM service_versions v
        WHERE v.tenant_id = NEW.tenant_id AND v.service_id = NEW.service_id AND v.version = NEW.service_version
          AND jsonb_path_exists(v.definition, '$.workflow.states[*] ? (@.id == $s && @.final == true)', jsonb_build_object('s', NEW.status))
     ) THEN
    UPDATE queue_offers o SET status = 'withdrawn', answered_at = NEW.updated_at WHERE o.tenant_id = NEW.tenant_id AND o.case_id = NEW.id AND o.status = 'open';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER cases_withdraw_offers AFTER UPDATE OF status ON cases FOR EACH ROW EXECUTE FUNCTION queue_offer_withdraw_when_final();

-- Serialises what counts one age group's places of one queue (opening vacancies against its seats),
-- for the rest of the transaction; the tenant is handed in by name, as a tenant-scoped statement must.
CREATE FUNCTION queue_places_lock(tenant_id text, place_key text) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtextextended(tenant_id || '/' || place_key, 46))
$$;
