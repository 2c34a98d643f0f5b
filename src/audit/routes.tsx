/**
 * The security officer's view of the audit log, and its CSV export; and of every change to staff
 * accounts (role grants, resets, identity-provider bindings: who did what to whom), so that what
 * administrators do is seen by someone other than themselves.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { describeStaffEvent, roleNamer, listStaffAccountEvents, requireStaff, type DeclaredRole, type StaffAccountEvent } from '../identity/staff/index.ts';
import { canReadAuditLog, staffPrincipal } from '../policy/index.ts';
import { AppError } from '../kernel/errors.ts';
import { decodePageCursor, encodePageCursor, type PageCursor } from '../kernel/page-cursor.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Button, ErrorSummary, Heading, Paragraph, Select, TextField, type FieldError } from '../kernel/html/components.tsx';
import { formatDate, hasMessage } from '../kernel/i18n/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { auditCsv, auditStaff, listAudit, recordAudit, type AuditEntry, type AuditQuery } from './index.ts';
import { isUuid } from '../kernel/ids.ts';
import { isIsoDate } from '../forms/dates.ts';
import '../cases/handler-messages.ts';

const PAGE = 50;

/** An action's label; an action the code no longer writes (an old row) by its name, so the log always renders. */
const actionLabel = (ctx: ViewContext, action: string) => (hasMessage(`audit.action.${action}`) ? ctx.t(`audit.action.${action}`) : action);

const MAX_REASON = 500;

/** A log as a table (or "nothing logged"), then the link to the next page: both logs show it so. */
function LogTable({ ctx, caption, headings, rows, nextHref, firstHref }: { ctx: ViewContext; caption: string; headings: string[]; rows: { key: string; cells: ComponentChildren[] }[]; nextHref: string | undefined; firstHref?: string | undefined }) {
  const { t } = ctx;
  return (
    <>
      {rows.length === 0 ? (
        <Paragraph>{t('audit.none')}</Paragraph>
      ) : (
        <div class="mb-table-wrap" role="region" aria-label={caption} tabIndex={0}>
          <table class="mb-table">
            <caption class="mb-visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {headings.map((h) => (
                  <th scope="col" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  {r.cells.map((c, i) => (
                    <td key={i}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(nextHref || firstHref) && (
        <nav aria-label={caption} class="mb-actions">
          {firstHref && (
            <a class="ds-link" href={firstHref}>
              {t('inbox.first')}
            </a>
          )}
          {nextHref && (
            <a class="ds-link" href={nextHref} rel="next">
              {t('inbox.next')}
            </a>
          )}
        </nav>
      )}
    </>
  );
}

/** Rows read one beyond the page: the page, and the cursor of the next one when there is more. */
function pageOf<T>(rows: T[], cursorOf: (row: T) => PageCursor): { page: T[]; next: string | undefined } {
  const page = rows.slice(0, PAGE);
  const last = page.at(-1);
  return { page, next: rows.length > PAGE && last ? encodePageCursor(cursorOf(last)) : undefined };
}

/** The signed-in member of staff when they may read the logs; undefined when sent to sign in. */
async function auditReader(req: FastifyRequest, reply: FastifyReply) {
  const staff = await requireStaff(req, reply);
  if (staff && !canReadAuditLog(staffPrincipal(staff))) throw new AppError('FORBIDDEN');
  return staff;
}

/** The log's filters as typed (kept on the page), and what the query takes of them once they are valid. */
interface AuditFilters {
  staff: string;
  reference: string;
  from: string;
  to: string;
}

const MAX_REFERENCE = 40;

/**
 * The filters of a request: who (an account of the list; anything else is no filter, as an unknown
 * option is), which case (a reference in any case), which days (YYYY-MM-DD in Stockholm, from ≤ to).
 * A reference too long or a date that is not one is an error said at its field, with what was typed kept.
 */
function readFilters(req: FastifyRequest, staff: { id: string }[]): { typed: AuditFilters; query: Omit<AuditQuery, 'limit' | 'before'>; errors: FieldError[] } {
  const q = req.query as Record<string, unknown>;
  const text = (v: unknown, max: number) => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim().slice(0, max) : '');
  const typed: AuditFilters = { staff: text(q.staff, 36), reference: text(q.case, MAX_REFERENCE * 2), from: text(q.from, 40), to: text(q.to, 40) };
  const errors: FieldError[] = [];
  if (typed.reference.length > MAX_REFERENCE) errors.push({ field: 'f-case', message: req.t('audit.error.referenceTooLong', { max: MAX_REFERENCE }) });
  for (const [field, value] of [['f-from', typed.from], ['f-to', typed.to]] as const) {
    if (value && !isIsoDate(value)) errors.push({ field, message: req.t('audit.error.date', { example: '2026-11-01' }) });
  }
  if (!errors.length && typed.from && typed.to && typed.from > typed.to) errors.push({ field: 'f-to', message: req.t('audit.error.toBeforeFrom') });
  const staffId = isUuid(typed.staff) && staff.some((s) => s.id === typed.staff) ? typed.staff : undefined;
  return { typed: { ...typed, staff: staffId ?? '' }, query: { staffId, caseReference: typed.reference || undefined, fromDay: typed.from || undefined, toDay: typed.to || undefined }, errors };
}

/** The filters as query parameters (only those given), for the next page, the first page and the export. */
function filterParams(f: AuditFilters): Record<string, string> {
  return Object.fromEntries(Object.entries({ staff: f.staff, case: f.reference, from: f.from, to: f.to }).filter(([, v]) => v));
}

interface AuditPageProps {
  ctx: ViewContext;
  entries: AuditEntry[];
  filters: AuditFilters;
  staff: { id: string; name: string }[];
  nextHref: string | undefined;
  firstHref: string | undefined;
  /** Filters that could not be read, or the export's refused reason: said at their fields. */
  errors: FieldError[];
  reason?: string;
}

function AuditPage({ ctx, entries, filters, staff, nextHref, firstHref, errors, reason = '' }: AuditPageProps) {
  const { t, locale } = ctx;
  const title = errors.length ? `${t('forms.error.summaryTitle')}: ${t('audit.title')}` : t('audit.title');
  const err = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <Layout ctx={ctx} title={title} section="staff">
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={errors} />
      <Heading>{t('audit.title')}</Heading>
      <Paragraph>{t('audit.intro')}</Paragraph>
      <p>
        <a class="ds-link" href={STAFF_ACCOUNTS}>
          {t('audit.staffAccounts.link')}
        </a>
      </p>
      <form method="get" action="/staff/audit" class="mb-filters" aria-label={t('inbox.filters')}>
        <Select id="f-staff" name="staff" label={t('audit.filterStaff')} selected={filters.staff} emptyLabel={t('inbox.any')} options={staff.map((s) => ({ value: s.id, label: s.name }))} />
        <TextField id="f-case" name="case" label={t('audit.filterCase')} hint={t('audit.filterCaseHint')} value={filters.reference} error={err('f-case')} width="medium" />
        <TextField id="f-from" name="from" label={t('audit.filterFrom')} hint={t('audit.dateHint')} value={filters.from} error={err('f-from')} width="short" />
        <TextField id="f-to" name="to" label={t('audit.filterTo')} hint={t('audit.dateHint')} value={filters.to} error={err('f-to')} width="short" />
        <Button variant="secondary">{t('inbox.apply')}</Button>
      </form>
      {/* Exporting personal data is done for a reason, and the reason goes into the log with it. */}
      <form method="get" action="/staff/audit.csv" class="mb-panel" aria-labelledby="export-h">
        <Heading level={2} size="xs">
          <span id="export-h">{t('audit.exportTitle')}</span>
        </Heading>
        {Object.entries(filterParams(filters)).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <TextField id="f-reason" name="reason" label={t('audit.reason')} hint={t('audit.reasonHint')} error={err('f-reason')} value={reason} width="full" />
        <Button variant="secondary">{t('audit.export')}</Button>
      </form>
      <LogTable
        ctx={ctx}
        caption={t('audit.title')}
        headings={[t('audit.col.at'), t('audit.col.staff'), t('audit.col.action'), t('audit.col.case'), t('audit.col.reason')]}
        rows={entries.map((e) => ({ key: e.id, cells: [formatDate(e.at, locale, true), e.staffName ?? e.staffId, actionLabel(ctx, e.action), e.caseReference ?? '', e.reason ?? ''] }))}
        nextHref={nextHref}
        firstHref={firstHref}
      />
    </Layout>
  );
}

const STAFF_ACCOUNTS = '/staff/audit/staff-accounts';

function StaffAccountEventsPage({ ctx, events, nextHref, declared }: { ctx: ViewContext; events: StaffAccountEvent[]; nextHref: string | undefined; declared: readonly DeclaredRole[] }) {
  const { t, locale } = ctx;
  const roleName = roleNamer(t, locale, declared);
  return (
    <Layout ctx={ctx} title={t('audit.staffAccounts.title')} section="staff" breadcrumbs={[{ href: '/staff/audit', label: t('audit.title') }]}>
      <Heading>{t('audit.staffAccounts.title')}</Heading>
      <Paragraph>{t('audit.staffAccounts.intro')}</Paragraph>
      <LogTable
        ctx={ctx}
        caption={t('audit.staffAccounts.title')}
        headings={[t('audit.col.at'), t('audit.col.staff'), t('audit.staffAccounts.col.account'), t('audit.col.action')]}
        rows={events.map((e) => ({
          key: e.id,
          cells: [formatDate(e.createdAt, locale, true), e.actor === 'system' ? t('staff.event.actorSystem') : e.actor, `${e.displayName} (${e.username})`, describeStaffEvent(t, ctx.tenant, locale, e, roleName)],
        }))}
        nextHref={nextHref}
      />
    </Layout>
  );
}

export async function auditPlugin(app: FastifyInstance): Promise<void> {
  app.get('/staff/audit', async (req, reply) => {
    const staff = await auditReader(req, reply);
    if (!staff) return reply;
    const accounts = await auditStaff(req.tdb);
    const { typed, query, errors } = readFilters(req, accounts);
    const before = (req.query as { before?: unknown }).before;
    if (errors.length) {
      return reply.page(<AuditPage ctx={req.viewContext()} entries={[]} filters={typed} staff={accounts} nextHref={undefined} firstHref={undefined} errors={errors} />, 400);
    }
    const { page, next } = pageOf(await listAudit(req.tdb, { ...query, before: decodePageCursor(before), limit: PAGE + 1 }), (e) => e);
    const href = (extra: Record<string, string> = {}) => `/staff/audit?${new URLSearchParams({ ...filterParams(typed), ...extra })}`;
    return reply.page(<AuditPage ctx={req.viewContext()} entries={page} filters={typed} staff={accounts} nextHref={next && href({ before: next })} firstHref={before ? href() : undefined} errors={[]} />);
  });

  app.get(STAFF_ACCOUNTS, async (req, reply) => {
    const staff = await auditReader(req, reply);
    if (!staff) return reply;
    const q = req.query as { before?: string };
    const { page, next } = pageOf(await listStaffAccountEvents(req.tdb, { before: decodePageCursor(q.before), limit: PAGE + 1 }), (e) => ({ at: e.createdAt, id: e.id }));
    const nextHref = next && `${STAFF_ACCOUNTS}?${new URLSearchParams({ before: next })}`;
    return reply.page(<StaffAccountEventsPage ctx={req.viewContext()} events={page} nextHref={nextHref} declared={app.catalogue.staffRoles(req.tenant.id)} />);
  });

  app.get('/staff/audit.csv', async (req, reply) => {
    const staff = await auditReader(req, reply);
    if (!staff) return reply;
    const accounts = await auditStaff(req.tdb);
    const { typed, query, errors } = readFilters(req, accounts);
    const q = req.query as { reason?: unknown };
    const reason = typeof q.reason === 'string' ? q.reason.replace(/\s+/g, ' ').trim() : '';
    if (!reason || reason.length > MAX_REASON) errors.push({ field: 'f-reason', message: req.t(reason ? 'audit.error.reasonTooLong' : 'audit.error.reasonRequired', { max: MAX_REASON }) });
    if (errors.length) {
      const entries = errors.some((e) => e.field !== 'f-reason') ? [] : await listAudit(req.tdb, { ...query, limit: PAGE });
      return reply.page(<AuditPage ctx={req.viewContext()} entries={entries} filters={typed} staff={accounts} nextHref={undefined} firstHref={undefined} errors={errors} reason={reason.slice(0, MAX_REASON)} />, 400);
    }
    const now = app.clock.now();
    // Exporting the log is itself a read of personal data, so it is logged first, with its reason.
    await recordAudit(req.tdb, { staffId: staff.id, action: 'audit.export', objectType: 'audit_log', objectId: typed.reference || '*', reason, requestId: req.id }, now);
    const entries = await listAudit(req.tdb, { ...query, limit: 100_000 });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${req.tenant.id}-${now.toISOString().slice(0, 10)}.csv"`)
      .header('cache-control', 'private, no-store')
      .send('\ufeff' + auditCsv(entries));
  });
}
