/**
 * Fees invoiced after a decision (ADR 0034). A definition's `fee.invoice` names the decision types
 * that charge a fee and its amount — fixed, or an amount field of the decision the handler sets by
 * the municipality's rates (PBL-taxa). The invoice row is written in the decision's transaction, at
 * most one per decision: the row's key is the decision's journal seq, so a retried or concurrent
 * decision — refused by the workflow under the case's lock anyway — can never invoice twice.
 *
 * The `invoices` table is the outbox of the invoicing integration: an `InvoicingAdapter` takes the
 * rows not yet handed over (the demo adapter writes them as CSV for the economy office), and a row
 * is marked handed over in the statement that claims it, so two runs never hand one over twice.
 */
import type { TenantQueryable, TenantScope } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';
import type { Localised } from '../kernel/tenants.ts';
import type { Fee } from '../catalogue/types.ts';
import type { Decision, DecisionEvent } from '../cases/index.ts';

/** The fee in öre a decision invoices, or undefined when its type charges none (or the amount set is 0). */
export function decisionInvoiceOre(fee: Fee | undefined, decision: Pick<Decision, 'type' | 'values'>): number | undefined {
  const invoice = fee?.invoice;
  if (!invoice || !invoice.when.includes(decision.type)) return undefined;
  const kronor = typeof invoice.amount === 'number' ? invoice.amount : Number(decision.values[invoice.amount.field] ?? '');
  // The decision form has checked the field as whole kronor; anything else is no invoice rather than a wrong one.
  return Number.isSafeInteger(kronor) && kronor > 0 ? kronor * 100 : undefined;
}

export interface Invoice {
  id: string;
  caseId: string;
  decisionSeq: number;
  decisionType: string;
  amountOre: number;
  currency: string;
  description: Localised;
  vatRate: number | null;
  createdAt: Date;
  handedOverAt: Date | null;
  handoverRef: string | null;
}

interface Row {
  id: string;
  case_id: string;
  decision_seq: number;
  decision_type: string;
  amount_ore: number | string;
  currency: string;
  description: Localised;
  vat_rate: number | null;
  created_at: Date;
  handed_over_at: Date | null;
  handover_ref: string | null;
}

const COLUMNS = 'id, case_id, decision_seq, decision_type, amount_ore, currency, description, vat_rate, created_at, handed_over_at, handover_ref';

const toInvoice = (r: Row): Invoice => ({
  id: r.id,
  caseId: r.case_id,
  decisionSeq: Number(r.decision_seq),
  decisionType: r.decision_type,
  amountOre: Number(r.amount_ore),
  currency: r.currency,
  description: r.description,
  vatRate: r.vat_rate,
  createdAt: new Date(r.created_at),
  handedOverAt: r.handed_over_at ? new Date(r.handed_over_at) : null,
  handoverRef: r.handover_ref,
});

/**
 * Inside the decision's transaction: the invoice of this decision, if its type charges a fee.
 * Returns what the decision's journal entry records of it (its id and amount), or undefined.
 */
export async function recordDecisionInvoice(tx: TenantQueryable, d: DecisionEvent): Promise<Record<string, unknown> | undefined> {
  const fee = d.def.fee;
  const amountOre = decisionInvoiceOre(fee, d.decision);
  if (!fee || amountOre === undefined) return undefined;
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO invoices (tenant_id, id, case_id, decision_seq, decision_type, amount_ore, currency, description, vat_rate, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (tenant_id, case_id, decision_seq) DO NOTHING RETURNING id`,
    [uuidv7(d.now.getTime()), d.c.id, d.seq, d.decision.type, amountOre, fee.currency, JSON.stringify(fee.description), fee.vatRate ?? null, d.now],
  );
  return rows[0] ? { invoice: { id: rows[0].id, amountOre } } : undefined;
}

export async function invoicesOfCase(q: TenantQueryable, caseId: string): Promise<Invoice[]> {
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM invoices WHERE tenant_id = $1 AND case_id = $2 ORDER BY decision_seq`, [caseId]);
  return rows.map(toInvoice);
}

/** An invoice as the integration receives it: the invoice and the case it charges for. */
export interface InvoiceToHandOver extends Invoice {
  caseReference: string;
}

/**
 * The contract of the municipality's invoicing integration: it receives invoices not yet handed
 * over and says under what reference it took them (a file name, the economy system's batch id).
 */
export interface InvoicingAdapter {
  readonly id: string;
  handOver(tenantId: string, invoices: readonly InvoiceToHandOver[]): Promise<{ ref: string }>;
}

/**
 * Hands the invoices not yet handed over to the adapter. The rows are claimed (marked handed over
 * with a batch reference) in one statement first, so two runs at once never take the same invoice;
 * if the adapter fails, the claim is undone and the invoices wait for the next run.
 */
export async function handOverInvoices(tdb: TenantScope, adapter: InvoicingAdapter, now: Date, limit = 500): Promise<{ count: number; ref?: string }> {
  const batch = `${adapter.id}:${uuidv7(now.getTime())}`;
  const { rows } = await tdb.query<Row & { reference: string }>(
    `WITH claimed AS (
       UPDATE invoices SET handed_over_at = $2, handover_ref = $3
        WHERE tenant_id = $1 AND id IN (SELECT id FROM invoices WHERE tenant_id = $1 AND handed_over_at IS NULL ORDER BY created_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS})
     SELECT claimed.*, cases.reference FROM claimed JOIN cases ON cases.tenant_id = $1 AND cases.id = claimed.case_id ORDER BY claimed.created_at, claimed.id`,
    [now, batch, limit],
  );
  if (!rows.length) return { count: 0 };
  try {
    const { ref } = await adapter.handOver(tdb.tenantId, rows.map((r) => ({ ...toInvoice(r), caseReference: r.reference })));
    await tdb.query('UPDATE invoices SET handover_ref = $2 WHERE tenant_id = $1 AND handover_ref = $3', [ref, batch]);
    return { count: rows.length, ref };
  } catch (err) {
    await tdb.query('UPDATE invoices SET handed_over_at = NULL, handover_ref = NULL WHERE tenant_id = $1 AND handover_ref = $2', [batch]);
    throw err;
  }
}

/** A CSV field: quoted, inner quotes doubled; a leading =, +, - or @ is neutralised so a spreadsheet does not run it. */
const csvField = (v: string) => `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"`;

/**
 * The demo adapter: the invoices as a CSV file for the economy office (semicolon-separated, as
 * Swedish spreadsheets read it; amounts in öre). `write` receives the file; its name is the reference.
 */
export function csvInvoicingAdapter(write: (name: string, csv: string) => Promise<void>): InvoicingAdapter {
  return {
    id: 'csv',
    async handOver(tenantId, invoices) {
      const header = ['invoice', 'case', 'decision', 'amount_ore', 'currency', 'vat_rate', 'description', 'created_at'];
      const lines = invoices.map((i) =>
        [i.id, i.caseReference, i.decisionType, String(i.amountOre), i.currency, i.vatRate === null ? '' : String(i.vatRate), i.description.sv, i.createdAt.toISOString()].map(csvField).join(';'),
      );
      const name = `invoices-${tenantId}-${invoices[0]!.createdAt.toISOString().slice(0, 10)}-${invoices[0]!.id}.csv`;
      await write(name, [header.join(';'), ...lines].join('\r\n') + '\r\n');
      return { ref: name };
    },
  };
}
