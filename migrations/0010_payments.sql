-- Fees and payments (docs/adr/0012-registers-and-payments.md). A payment is made for something —
-- a draft that becomes a case when it is paid, later a booking's hold — and refers to it by id
-- only. Amounts are whole öre. tenant_id leads every key (ADR 3).
CREATE TABLE payments (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  -- What it pays for: 'draft' (the case is created when it is paid); purpose_id is that draft.
  purpose text NOT NULL,
  purpose_id uuid NOT NULL,
  -- The case it paid for, once there is one.
  case_id uuid,
  payer_id uuid NOT NULL,
  service_id text NOT NULL,
  provider text NOT NULL,
  -- The provider's own id of the payment; set when the provider has accepted it.
  provider_ref text,
  amount_ore integer NOT NULL CHECK (amount_ore > 0),
  currency text NOT NULL CHECK (currency = 'SEK'),
  -- VAT included in the amount, in per cent (25, 12, 6, 0), when the fee says.
  vat_rate numeric(4, 2),
  description jsonb NOT NULL,
  -- created: waiting for the payer; authorised: held, to be captured or released (bookings);
  -- paid; failed; cancelled; released.
  status text NOT NULL CHECK (status IN ('created', 'authorised', 'paid', 'failed', 'cancelled', 'released')),
  -- Refunded so far: reserved before the provider is asked, so two refunds together can never
  -- exceed the amount paid (decided by this check in one UPDATE).
  refunded_ore integer NOT NULL DEFAULT 0 CHECK (refunded_ore >= 0 AND refunded_ore <= amount_ore),
  -- What the purpose needs to complete when paid (for a draft: the answers that were paid for).
  context jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  paid_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, provider, provider_ref)
);
CREATE INDEX payments_by_purpose ON payments (tenant_id, purpose, purpose_id);
CREATE INDEX payments_by_case ON payments (tenant_id, case_id) WHERE case_id IS NOT NULL;

CREATE TABLE payment_refunds (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  payment_id uuid NOT NULL,
  amount_ore integer NOT NULL CHECK (amount_ore > 0),
  -- requested: reserved and journaled, the provider being asked; done; failed (reservation returned).
  status text NOT NULL CHECK (status IN ('requested', 'done', 'failed')),
  requested_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id)
);
CREATE INDEX payment_refunds_by_payment ON payment_refunds (tenant_id, payment_id);
