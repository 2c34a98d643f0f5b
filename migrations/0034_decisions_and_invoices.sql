-- Several decisions on one case, and fees invoiced when a decision is made (docs/adr/0034).
--
-- A case may be decided more than once (a building permit, later the start notice): each decision
-- has its own letters, so the one-letter-per-language rule now holds for receipts only. Which
-- letters belong to which decision is said by the decision's journal entry (its `letters`).
ALTER TABLE documents DROP CONSTRAINT documents_tenant_id_case_id_kind_locale_key;
CREATE UNIQUE INDEX documents_one_receipt ON documents (tenant_id, case_id, kind, locale) WHERE kind = 'receipt';

-- Fees invoiced after a decision: written in the decision's transaction, at most one per decision
-- (its journal entry's seq), and read from here by the municipality's invoicing integration — the
-- outbox the economy system takes its invoices from. handed_over_at: when the integration took it.
CREATE TABLE invoices (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  decision_seq integer NOT NULL,
  decision_type text NOT NULL,
  amount_ore bigint NOT NULL CHECK (amount_ore > 0),
  currency text NOT NULL DEFAULT 'SEK',
  description jsonb NOT NULL,
  vat_rate integer,
  created_at timestamptz NOT NULL,
  handed_over_at timestamptz,
  handover_ref text,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, case_id, decision_seq)
);
CREATE INDEX invoices_to_hand_over ON invoices (tenant_id, created_at) WHERE handed_over_at IS NULL;
