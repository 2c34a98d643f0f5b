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
import { Button, ErrorSummary, Heading, Paragraph, TextField, type FieldError } from '../kernel/html/components.tsx';
import { formatDate } from '../kernel/i18n/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { auditCsv, listAudit, recordAudit, type AuditEntry } from './index.ts';
import '../cases/handler-messages.ts';

const PAGE = 50;

const MAX_REASON = 500;

/** A log as a table (or "nothing logged"), then the link to the next page: both logs show it so. */
function LogTable({ ctx, caption, headings, rows, nextHref }: { ctx: ViewContext; caption: string; headings: string[]; rows: { key: string; cells: ComponentChildren[] }[]; nextHref: string | undefined }) {
  const { t } = ctx;
  return (
    <>
      {rows.length === 0 ? (
        <Paragraph>{t('audit.none')}</Paragraph>
      ) : (
        <div class="mb-table-wrap">
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
      {nextHref && (
        <p>
          <a class="ds-link" href={nextHref} rel="next">
            {t('inbox.next')}
          </a>
        </p>
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

interface AuditPageProps {
  ctx: ViewContext;
  entries: AuditEntry[];
  reference: string;
  nextHref: string | undefined;
  /** The export form's error and typed reason, after a refused export. */
  exportError?: FieldError | undefined;
  reason?: string;
}

function AuditPage({ ctx, entries, reference, nextHref, exportError, reason = '' }: AuditPageProps) {
  const { t, locale } = ctx;
  const title = exportError ? `${t('forms.error.summaryTitle')}: ${t('audit.title')}` : t('audit.title');
  return (
    <Layout ctx={ctx} title={title} section="staff">
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={exportError ? [exportError] : []} />
      <Heading>{t('audit.title')}</Heading>
      <Paragraph>{t('audit.intro')}</Paragraph>
      <p>
        <a class="ds-link" href={STAFF_ACCOUNTS}>
          {t('audit.staffAccounts.link')}
        </a>
      </p>
      <form method="get" action="/staff/audit" class="mb-filters">
        <TextField id="f-case" name="case" label={t('audit.filterCase')} value={reference} width="medium" />
        <Button variant="secondary">{t('inbox.apply')}</Button>
      </form>
      {/* Exporting personal data is done for a reason, and the reason goes into the log with it. */}
      <form method="get" action="/staff/audit.csv" class="mb-panel" aria-labelledby="export-h">
        <Heading level={2} size="xs">
          <span id="export-h">{t('audit.exportTitle')}</span>
        </Heading>
        {reference && <input type="hidden" name="case" value={reference} />}
        <TextField id="f-reason" name="reason" label={t('audit.reason')} hint={t('audit.reasonHint')} error={exportError?.message} value={reason} width="full" />
        <Button variant="secondary">{t('audit.export')}</Button>
      </form>
      <LogTable
        ctx={ctx}
        caption={t('audit.title')}
        headings={[t('audit.col.at'), t('audit.col.staff'), t('audit.col.action'), t('audit.col.case'), t('audit.col.reason')]}
        rows={entries.map((e) => ({ key: e.id, cells: [formatDate(e.at, locale, true), e.staffName ?? e.staffId, t(`audit.action.${e.action}`), e.caseReference ?? '', e.reason ?? ''] }))}
        nextHref={nextHref}
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
    const q = req.query as { case?: string; before?: string };
    const reference = typeof q.case === 'string' ? q.case.trim().slice(0, 40) : '';
    const { page, next } = pageOf(await listAudit(req.tdb, { caseReference: reference || undefined, before: decodePageCursor(q.before), limit: PAGE + 1 }), (e) => e);
    const nextHref = next && `/staff/audit?${new URLSearchParams({ ...(reference ? { case: reference } : {}), before: next })}`;
    return reply.page(<AuditPage ctx={req.viewContext()} entries={page} reference={reference} nextHref={nextHref} />);
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
    const q = req.query as { case?: unknown; reason?: unknown };
    const reference = typeof q.case === 'string' ? q.case.trim().slice(0, 40) : '';
    const reason = typeof q.reason === 'string' ? q.reason.replace(/\s+/g, ' ').trim() : '';
    if (!reason || reason.length > MAX_REASON) {
      const message = req.t(reason ? 'audit.error.reasonTooLong' : 'audit.error.reasonRequired', { max: MAX_REASON });
      const entries = await listAudit(req.tdb, { caseReference: reference || undefined, limit: PAGE });
      return reply.page(<AuditPage ctx={req.viewContext()} entries={entries} reference={reference} nextHref={undefined} exportError={{ field: 'f-reason', message }} reason={reason.slice(0, MAX_REASON)} />, 400);
    }
    const now = app.clock.now();
    // Exporting the log is itself a read of personal data, so it is logged first, with its reason.
    await recordAudit(req.tdb, { staffId: staff.id, action: 'audit.export', objectType: 'audit_log', objectId: reference || '*', reason, requestId: req.id }, now);
    const entries = await listAudit(req.tdb, { caseReference: reference || undefined, limit: 100_000 });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${req.tenant.id}-${now.toISOString().slice(0, 10)}.csv"`)
      .header('cache-control', 'private, no-store')
      .send('\ufeff' + auditCsv(entries));
  });
}
