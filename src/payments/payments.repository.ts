/** The payments and refunds tables, through the tenant scope. */
import type { TenantQueryable } from '../kernel/db/index.ts';
import type { Localised } from '../kernel/tenants.ts';

export type PaymentStatus = 'created' | 'authorised' | 'paid' | 'failed' | 'cancelled' | 'released';

export interface Payment {
  id: string;
  purpose: string;
  purposeId: string;
  caseId: string | null;
  payerId: string;
  serviceId: string;
  provider: string;
  providerRef: string | null;
  amountOre: number;
  currency: 'SEK';
  vatRate: number | null;
  description: Localised;
  status: PaymentStatus;
  refundedOre: number;
  context: Record<string, unknown>;
  createdAt: Date;
  paidAt: Date | null;
}

interface PaymentRow {
  id: string;
  purpose: string;
  purpose_id: string;
  case_id: string | null;
  payer_id: string;
  service_id: string;
  provider: string;
  provider_ref: string | null;
  amount_ore: number;
  currency: 'SEK';
  vat_rate: string | number | null;
  description: Localised;
  status: PaymentStatus;
  refunded_ore: number;
  context: Record<string, unknown>;
  created_at: Date | string;
  paid_at: Date | string | null;
}

const COLUMNS = 'id, purpose, purpose_id, case_id, payer_id, service_id, provider, provider_ref, amount_ore, currency, vat_rate, description, status, refunded_ore, context, created_at, paid_at';

function toPayment(r: PaymentRow): Payment {
  return {
    id: r.id,
    purpose: r.purpose,
    purposeId: r.purpose_id,
    caseId: r.case_id,
    payerId: r.payer_id,
    serviceId: r.service_id,
    provider: r.provider,
    providerRef: r.provider_ref,
    amountOre: Number(r.amount_ore),
    currency: r.currency,
    vatRate: r.vat_rate === null ? null : Number(r.vat_rate),
    description: r.description,
    status: r.status,
    refundedOre: Number(r.refunded_ore),
    context: r.context,
    createdAt: new Date(r.created_at),
    paidAt: r.paid_at === null ? null : new Date(r.paid_at),
  };
}

export interface NewPayment {
  id: string;
  purpose: string;
  purposeId: string;
  payerId: string;
  serviceId: string;
  provider: string;
  providerRef: string;
  amountOre: number;
  vatRate: number | undefined;
  description: Localised;
  context: Record<string, unknown>;
  now: Date;
}

export async function insertPayment(q: TenantQueryable, p: NewPayment): Promise<void> {
  await q.query(
    `INSERT INTO payments (tenant_id, id, purpose, purpose_id, payer_id, service_id, provider, provider_ref, amount_ore, currency, vat_rate, description, status, context, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'SEK', $10, $11::jsonb, 'created', $12::jsonb, $13, $13)`,
    [p.id, p.purpose, p.purposeId, p.payerId, p.serviceId, p.provider, p.providerRef, p.amountOre, p.vatRate ?? null, JSON.stringify(p.description), JSON.stringify(p.context), p.now],
  );
}

export async function getPayment(q: TenantQueryable, id: string, opts: { lock?: boolean } = {}): Promise<Payment | undefined> {
  const { rows } = await q.query<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE tenant_id = $1 AND id = $2${opts.lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toPayment(rows[0]) : undefined;
}

export async function paymentByProviderRef(q: TenantQueryable, provider: string, reference: string): Promise<Payment | undefined> {
  const { rows } = await q.query<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE tenant_id = $1 AND provider = $2 AND provider_ref = $3`, [provider, reference]);
  return rows[0] ? toPayment(rows[0]) : undefined;
}

/** Payments made for a case (paid ones; for its page and receipt), oldest first. */
export async function paymentsOfCase(q: TenantQueryable, caseId: string): Promise<Payment[]> {
  const { rows } = await q.query<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE tenant_id = $1 AND case_id = $2 ORDER BY created_at, id`, [caseId]);
  return rows.map(toPayment);
}

/** The latest payment for a purpose (a draft's most recent attempt), if any. */
export async function latestPaymentFor(q: TenantQueryable, purpose: string, purposeId: string): Promise<Payment | undefined> {
  const { rows } = await q.query<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE tenant_id = $1 AND purpose = $2 AND purpose_id = $3 ORDER BY created_at DESC, id DESC LIMIT 1`, [purpose, purposeId]);
  return rows[0] ? toPayment(rows[0]) : undefined;
}

/** Paid, for this case; only from `created` or `authorised` (the caller holds the row lock). */
export async function markPaid(q: TenantQueryable, id: string, caseId: string | null, now: Date): Promise<void> {
  await q.query(`UPDATE payments SET status = 'paid', case_id = $3, paid_at = $4, updated_at = $4 WHERE tenant_id = $1 AND id = $2 AND status IN ('created', 'authorised')`, [id, caseId, now]);
}

/** Failed or cancelled; only a payment still waiting changes (a late "failed" never undoes a paid one). */
export async function markEnded(q: TenantQueryable, id: string, status: 'failed' | 'cancelled', now: Date): Promise<boolean> {
  const r = await q.query(`UPDATE payments SET status = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 AND status = 'created'`, [id, status, now]);
  return r.rowCount > 0;
}

/**
 * Reserves a refund: adds it to what is refunded, in one statement that also checks that the
 * payment is paid, belongs to the case and has that much left — two refunds at once can never
 * together exceed the amount. `staffId` null: by a rule, nobody behind it (a booking cancelled in
 * time). Returns the new total, or undefined when refused.
 */
export async function reserveRefund(q: TenantQueryable, r: { refundId: string; paymentId: string; caseId: string; amountOre: number; staffId: string | null; now: Date }): Promise<number | undefined> {
  const { rows } = await q.query<{ refunded_ore: number }>(
    `WITH reserved AS (
       UPDATE payments SET refunded_ore = refunded_ore + $4, updated_at = $6
        WHERE tenant_id = $1 AND id = $2 AND case_id = $3 AND status = 'paid' AND refunded_ore + $4 <= amount_ore
        RETURNING tenant_id, id, refunded_ore)
     INSERT INTO payment_refunds (tenant_id, id, payment_id, amount_ore, status, requested_by, created_at, updated_at)
     SELECT $1, $7, id, $4, 'requested', $5, $6, $6 FROM reserved
     RETURNING (SELECT refunded_ore FROM reserved) AS refunded_ore`,
    [r.paymentId, r.caseId, r.amountOre, r.staffId, r.now, r.refundId],
  );
  return rows[0] ? Number(rows[0].refunded_ore) : undefined;
}

/**
 * Reserves the whole payment's refund with nobody behind it (a purpose that lost what was paid for,
 * ADR 0040), in the transaction that marks it paid. Returns the refund's amount.
 */
export async function reserveSystemRefund(q: TenantQueryable, r: { refundId: string; paymentId: string; now: Date }): Promise<number | undefined> {
  const { rows } = await q.query<{ amount_ore: number }>(
    `WITH reserved AS (
       UPDATE payments SET refunded_ore = amount_ore, updated_at = $3
        WHERE tenant_id = $1 AND id = $2 AND status = 'paid' AND refunded_ore = 0
        RETURNING tenant_id, id, amount_ore)
     INSERT INTO payment_refunds (tenant_id, id, payment_id, amount_ore, status, requested_by, created_at, updated_at)
     SELECT $1, $4, id, amount_ore, 'requested', NULL, $3, $3 FROM reserved
     RETURNING amount_ore`,
    [r.paymentId, r.now, r.refundId],
  );
  return rows[0] ? Number(rows[0].amount_ore) : undefined;
}

/** The provider refused or could not be asked: the reservation is given back. */
export async function releaseRefund(q: TenantQueryable, refundId: string, now: Date): Promise<void> {
  await q.query(
    `WITH failed AS (
       UPDATE payment_refunds SET status = 'failed', updated_at = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'requested' RETURNING payment_id, amount_ore)
     UPDATE payments p SET refunded_ore = p.refunded_ore - f.amount_ore, updated_at = $3 FROM failed f WHERE p.tenant_id = $1 AND p.id = f.payment_id`,
    [refundId, now],
  );
}

export async function refundDone(q: TenantQueryable, refundId: string, now: Date): Promise<void> {
  await q.query(`UPDATE payment_refunds SET status = 'done', updated_at = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'requested'`, [refundId, now]);
}

export interface Refund {
  id: string;
  paymentId: string;
  amountOre: number;
  status: 'requested' | 'done' | 'failed';
  createdAt: Date;
}

export async function refundsOf(q: TenantQueryable, paymentId: string): Promise<Refund[]> {
  const { rows } = await q.query<{ id: string; payment_id: string; amount_ore: number; status: Refund['status']; created_at: Date | string }>(
    `SELECT id, payment_id, amount_ore, status, created_at FROM payment_refunds WHERE tenant_id = $1 AND payment_id = $2 ORDER BY created_at, id`,
    [paymentId],
  );
  return rows.map((r) => ({ id: r.id, paymentId: r.payment_id, amountOre: Number(r.amount_ore), status: r.status, createdAt: new Date(r.created_at) }));
}

/**
 * Deletes, in every tenant, the payments that were never paid for drafts that are gone (expired
 * and purged). They hold the draft's answers in `context`, so they must not outlive the draft's
 * retention. A day's grace after their last change lets a provider that reports a success late
 * still turn one into a case (the purpose completes from the payment's own context).
 */
export async function purgeUnpaidPaymentsOfGoneDrafts(db: { query: (sql: string, p?: unknown[]) => Promise<{ rowCount: number }> }, now: Date): Promise<number> {
  const graceMs = 24 * 3_600_000;
  const r = await db.query(
    `DELETE FROM payments p
      WHERE p.purpose = 'draft' AND p.status IN ('created', 'failed', 'cancelled') AND p.updated_at <= $1
        AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.tenant_id = p.tenant_id AND d.id = p.purpose_id)`,
    [new Date(now.getTime() - graceMs)],
  );
  return r.rowCount;
}
