/**
 * Renewal (ADR 0047): a place in a queue lasts a period from the queue date — a year, say — and the
 * applicant renews it on the case page from some days before its end, paying the definition's fee
 * through the payment provider when it has one (a yearly fee). An application not renewed within
 * the grace days after the end leaves its queues (the queue job). Every renewal and lapse is in the
 * case's journal; two renewals of the same period are one (the second payment is refunded).
 */
import type { QueueRenewal, ServiceDefinition } from '../catalogue/types.ts';
import { applicantNotify, caseMail, changeCaseIn, getCase, lockCaseRow, type Case } from '../cases/index.ts';
import { addDays } from '../expressions/index.ts';
import { addMonths, stockholmToday } from '../forms/dates.ts';
import { tenantScope, type Database, type TenantQueryable, type TenantScope } from '../kernel/db/index.ts';
import { formatDate, pick, translate } from '../kernel/i18n/index.ts';
import { formatAmount } from '../payments/index.tsx';
import type { OutboxMessage } from '../notify/outbox.ts';
import { queued, type QueueService } from './places.ts';
import './renewal-messages.ts';

export type RenewalService = QueueService & { queue: QueueService['queue'] & { renewal: QueueRenewal } };
export const renewing = (def: ServiceDefinition | undefined): def is RenewalService => queued(def) && !!def.queue.renewal;

export interface RenewalState {
  /** The last day the place is paid or confirmed for. */
  until: string;
  /** The applicant may renew now (from `openDaysBefore` before the end to the end of the grace). */
  open: boolean;
  /** The end has passed: the application leaves its queues after `lastDay`. */
  overdue: boolean;
  /** The last day to renew. */
  lastDay: string;
}

/** Where an application's place stands: until when, and whether it may (or must) be renewed today. */
export async function renewalOf(q: TenantQueryable, def: RenewalService, caseId: string, queueDate: string, today: string): Promise<RenewalState> {
  const r = def.queue.renewal;
  const until = await paidUntil(q, r, caseId, queueDate);
  const lastDay = addDays(until, r.graceDays);
  return { until, open: today >= addDays(until, -r.openDaysBefore) && today <= lastDay, overdue: today > until, lastDay };
}

async function paidUntil(q: TenantQueryable, r: QueueRenewal, caseId: string, queueDate: string): Promise<string> {
  const { rows } = await q.query<{ until: string | null }>('SELECT max(period_end)::text AS until FROM queue_renewals WHERE tenant_id = $1 AND case_id = $2', [caseId]);
  return rows[0]?.until ?? addMonths(queueDate, r.everyMonths);
}

/** No renewal now: the application stands in no queue, or it is not yet (or no longer) time. */
export class NotRenewableError extends Error {
  constructor() {
    super('the place cannot be renewed now');
    this.name = 'NotRenewableError';
  }
}

/**
 * Renews the place for one more period, under the case's lock: the period that ends at `from` (as the
 * applicant saw it) is extended, once — a second renewal of the same period writes nothing and
 * returns false (its payment is then refunded by the caller).
 */
export async function renewIn(
  tx: TenantQueryable,
  def: RenewalService,
  caseId: string,
  input: { from: string; residentId: string; paymentId: string | null; siteUrl: string; now: Date },
): Promise<boolean> {
  const r = def.queue.renewal;
  // The case's lock first, then read: a renewal and a lapse, or two renewals, are decided one at a time.
  if (!(await lockCaseRow(tx, caseId))) return false;
  const queueDate = await queueDateOf(tx, caseId);
  if (!queueDate) return false;
  const state = await renewalOf(tx, def, caseId, queueDate, stockholmToday(input.now));
  if (state.until !== input.from || !state.open) return false;
  const periodEnd = addMonths(state.until, r.everyMonths);
  const inserted = await tx.query(
    'INSERT INTO queue_renewals (tenant_id, case_id, period_end, renewed_at, renewed_by, payment_id) VALUES ($1, $2, $3::date, $4, $5::uuid, $6::uuid) ON CONFLICT DO NOTHING',
    [caseId, periodEnd, input.now, input.residentId, input.paymentId],
  );
  if (inserted.rowCount !== 1) return false;
  await changeCaseIn(tx, caseId, input.now, async (c, inner) => ({
    journal: [{ kind: 'queue_renewed', actorKind: 'resident', actorId: input.residentId, payload: { from: state.until, until: periodEnd, ...(input.paymentId ? { payment: input.paymentId } : {}) } }],
    outbox: await placeMail(inner, def, c, input.siteUrl, 'queue.renewal.mail', { until: formatDate(periodEnd, c.locale) }),
  }));
  return true;
}

/**
 * The applicant's e-mail about their place (its subject and body the messages `key`.subject and
 * `key`.body, in the case's language), or none when the case has no address to write to.
 */
async function placeMail(q: TenantQueryable, def: RenewalService, c: Case, siteUrl: string, key: string, vars: Record<string, string>): Promise<OutboxMessage[]> {
  const notify = await applicantNotify(q, def, c, siteUrl);
  if (!notify.email) return [];
  const l = c.locale;
  const all = { reference: c.reference, service: pick(def.title, l), url: `${siteUrl}/my/cases/${c.id}`, ...vars };
  return [{ kind: 'email', payload: caseMail(c, def, l, { to: notify.email, subject: translate(l, `${key}.subject`, all), text: translate(l, `${key}.body`, all) }) }];
}

/** The application's queue date, or undefined when it stands in no queue. */
async function queueDateOf(q: TenantQueryable, caseId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ queue_date: string | null }>('SELECT min(queue_date)::text AS queue_date FROM queue_entries WHERE tenant_id = $1 AND case_id = $2', [caseId]);
  return rows[0]?.queue_date ?? undefined;
}

/** renewIn in a transaction of its own; NotRenewableError when nothing was renewed. */
export async function renew(tdb: TenantScope, def: RenewalService, caseId: string, input: Parameters<typeof renewIn>[3]): Promise<void> {
  const renewed = await tdb.transaction((tx) => renewIn(tx, def, caseId, input));
  if (!renewed) throw new NotRenewableError();
}

/** What the queue job's parts need of the app. */
type JobApp = {
  catalogue: { services(tenantId: string): readonly ServiceDefinition[] };
  tenants: { all: readonly { id: string }[] };
  serviceVersions: { definition(q: TenantQueryable, id: string, version: number): Promise<ServiceDefinition | undefined> };
};

/**
 * For every tenant's service with renewal: the queuing applications whose place `select` picks (at
 * most 200 a run, the rest on the next), each in a transaction of its own under its case's lock,
 * where its place is read again (`state`, by its case's own version of the definition) and handed
 * to `each`, which says whether it acted. One no longer queuing is passed over. Returns how many acted.
 */
async function forRenewingCases(
  app: JobApp,
  db: Database,
  today: string,
  /** Which places, as a condition on `p` (case_id, until: the place's end) with parameters from $4 on. */
  select: (r: QueueRenewal) => { where: string; params: unknown[] },
  each: (tx: TenantQueryable, tenantId: string, def: RenewalService, caseId: string, state: RenewalState) => Promise<boolean>,
): Promise<number> {
  let n = 0;
  for (const tenant of app.tenants.all) {
    const tdb = tenantScope(db, tenant.id);
    for (const service of app.catalogue.services(tenant.id).filter(renewing)) {
      const r = service.queue.renewal;
      const { where, params } = select(r);
      const { rows } = await tdb.query<{ case_id: string }>(`SELECT case_id FROM (${PLACES_SQL}) p WHERE ${where} LIMIT 200`, [service.id, r.everyMonths, ...params]);
      for (const { case_id: caseId } of rows) {
        const c = await getCase(tdb, caseId);
        const def = c ? await app.serviceVersions.definition(tdb, c.serviceId, c.serviceVersion) : undefined;
        if (!c || !renewing(def)) continue;
        const acted = await tdb.transaction(async (tx) => {
          if (!(await lockCaseRow(tx, caseId))) return false;
          const queueDate = await queueDateOf(tx, caseId);
          return queueDate ? each(tx, tenant.id, def, caseId, await renewalOf(tx, def, caseId, queueDate, today)) : false;
        });
        if (acted) n++;
      }
    }
  }
  return n;
}

/** Each queuing application's place's end: its last renewal's, or the first period's from the queue date. */
const PLACES_SQL = `SELECT q.case_id, coalesce((SELECT max(period_end) FROM queue_renewals r WHERE r.tenant_id = $1 AND r.case_id = q.case_id), (q.queue_date + make_interval(months => $3))::date) AS until
  FROM (SELECT case_id, min(queue_date) AS queue_date FROM queue_entries WHERE tenant_id = $1 AND service_id = $2 GROUP BY case_id) q`;

/**
 * The queue job's part: every application of a service with renewal that is still queuing past its
 * end and grace moves to the lapsed state (and so leaves its queues), each under its case's lock,
 * where the condition is read again. Returns how many lapsed.
 */
export async function lapseUnrenewed(app: JobApp, db: Database, now: Date, siteUrlOf: (tenantId: string) => string): Promise<number> {
  const today = stockholmToday(now);
  return forRenewingCases(
    app,
    db,
    today,
    (r) => ({ where: 'p.until + $4::int < $5::date', params: [r.graceDays, today] }),
    async (tx, tenantId, def, caseId, state) => {
      // Renewed meanwhile, or the grace not over: nothing to do.
      if (today <= state.lastDay) return false;
      await changeCaseIn(tx, caseId, now, async (locked, inner) => ({
        patch: { status: def.queue.renewal.lapsedState, dueAt: null },
        journal: [{ kind: 'queue_renewal_lapsed', actorKind: 'system', actorId: null, payload: { until: state.until, lastDay: state.lastDay, from: locked.status, to: def.queue.renewal.lapsedState } }],
        outbox: await placeMail(inner, def, locked, siteUrlOf(tenantId), 'queue.renewal.lapsed.mail', { until: formatDate(state.until, locked.locale) }),
      }));
      return true;
    },
  );
}

/**
 * The queue job's part: the applicant is reminded once when a place's renewal window opens (or on
 * the job's first run inside an open window): its e-mail and a journal entry, written with the
 * reminder's row, whose primary key (case, the period's end) lets one node of several send it.
 * An application renewed meanwhile, or no longer queuing, is not reminded. Returns how many were.
 */
export async function remindRenewals(app: JobApp, db: Database, now: Date, siteUrlOf: (tenantId: string) => string): Promise<number> {
  const today = stockholmToday(now);
  return forRenewingCases(
    app,
    db,
    today,
    (r) => ({
      where: `p.until - $4::int <= $6::date AND p.until + $5::int >= $6::date
              AND NOT EXISTS (SELECT 1 FROM queue_renewal_reminders m WHERE m.tenant_id = $1 AND m.case_id = p.case_id AND m.period_end = p.until)`,
      params: [r.openDaysBefore, r.graceDays, today],
    }),
    async (tx, tenantId, def, caseId, state) => {
      if (!state.open) return false;
      const sent = await tx.query('INSERT INTO queue_renewal_reminders (tenant_id, case_id, period_end, sent_at) VALUES ($1, $2, $3::date, $4) ON CONFLICT DO NOTHING', [caseId, state.until, now]);
      if (sent.rowCount !== 1) return false;
      const fee = def.queue.renewal.fee;
      await changeCaseIn(tx, caseId, now, async (locked, inner) => {
        const l = locked.locale;
        const outbox = await placeMail(inner, def, locked, siteUrlOf(tenantId), 'queue.renewal.reminder.mail', {
          until: formatDate(state.until, l),
          lastDay: formatDate(state.lastDay, l),
          fee: fee ? translate(l, 'queue.renewal.reminder.fee', { amount: formatAmount(Math.round(fee.amount * 100), l) }) : '',
        });
        // Without an address the entry says so: the case page is then the only reminder.
        return { journal: [{ kind: 'queue_renewal_reminded', actorKind: 'system', actorId: null, payload: { until: state.until, lastDay: state.lastDay, ...(outbox.length ? {} : { noAddress: true }) } }], outbox };
      });
      return true;
    },
  );
}
