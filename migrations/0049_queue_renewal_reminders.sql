-- Renewal reminders (docs/adr/0047, amended): when a place's renewal window opens the applicant is
-- e-mailed once. A row is the reminder for one period's end; the primary key makes it once per
-- period however many nodes run the queue job at the same moment.
CREATE TABLE queue_renewal_reminders (
  tenant_id text NOT NULL,
  case_id uuid NOT NULL,
  period_end date NOT NULL,
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, case_id, period_end)
);
