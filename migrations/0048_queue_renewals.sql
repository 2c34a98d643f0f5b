-- Renewal (docs/adr/0047): a place in a queue lasts a period (a year, say) from the queue date and is
-- renewed — with a yearly fee or without — or the application leaves its queues. A row is one
-- renewal, to the end of the period it bought; the primary key makes two renewals of the same
-- period one (a second payment for it is refunded).
CREATE TABLE queue_renewals (
  tenant_id text NOT NULL,
  case_id uuid NOT NULL,
  period_end date NOT NULL,
  renewed_at timestamptz NOT NULL,
  -- The resident who renewed, and the payment of the fee (none for a free renewal).
  renewed_by uuid,
  payment_id uuid,
  PRIMARY KEY (tenant_id, case_id, period_end)
);
