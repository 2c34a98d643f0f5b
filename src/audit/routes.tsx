/**
 * The security officer's view of the audit log, and its CSV export; and of every change to staff
 * accounts (role grants, resets, identity-provider bindings: who did what to whom), so that what
 * administrators do is seen by someone other than themselves.
 */
import type { FastifyInstance } from 'fastify';
import { describeStaffEvent, listStaffAccountEvents, requireStaff, type StaffAccountEvent } from '../identity/staff/index.ts';
import { canReadAuditLog, staffPrincipal } from '../policy/index.ts';
import { AppError } from '../kernel/errors.ts';
import { decodePageCursor, encodePageCursor } from '../kernel/page-cursor.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Button, ErrorSummary, Heading, Paragraph, TextField, type FieldError } from '../kernel/html/components.tsx';
import { formatDate } from '../kernel/i18n/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { auditCsv, listAudit, recordAudit, type AuditEntry } from './index.ts';
import '../cases/handler-messages.ts';

const PAGE = 50;

const MAX_REASON = 500;

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
      {entries.length === 0 ? (
        <Paragraph>{t('audit.none')}</Paragraph>
      ) : (
        <div class="mb-table-wrap">
          <table class="mb-table">
            <caption class="mb-visually-hidden">{t('audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.col.at')}</th>
                <th scope="col">{t('audit.col.staff')}</th>
                <th scope="col">{t('audit.col.action')}</th>
                <th scope="col">{t('audit.col.case')}</th>
                <th scope="col">{t('audit.col.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDate(e.at, locale, true)}</td>
                  <td>{e.staffName ?? e.staffId}</td>
                  <td>{t(`audit.action.${e.action}`)}</td>
                  <td>{e.caseReference ?? ''}</td>
                  <td>{e.reason ?? ''}</td>
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
    </Layout>
  );
}

const STAFF_ACCOUNTS = '/staff/audit/staff-accounts';

function StaffAccountEventsPage({ ctx, events, nextHref }: { ctx: ViewContext; events: StaffAccountEvent[]; nextHref: string | undefined }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('audit.staffAccounts.title')} section="staff" breadcrumbs={[{ href: '/staff/audit', label: t('audit.title') }]}>
      <Heading>{t('audit.staffAccounts.title')}</Heading>
      <Paragraph>{t('audit.staffAccounts.intro')}</Paragraph>
      {events.length === 0 ? (
        <Paragraph>{t('audit.none')}</Paragraph>
      ) : (
        <div class="mb-table-wrap">
          <table class="mb-table">
            <caption class="mb-visually-hidden">{t('audit.staffAccounts.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.col.at')}</th>
                <th scope="col">{t('audit.col.staff')}</th>
                <th scope="col">{t('audit.staffAccounts.col.account')}</th>
                <th scope="col">{t('audit.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{formatDate(e.createdAt, locale, true)}</td>
                  <td>{e.actor === 'system' ? t('staff.event.actorSystem') : e.actor}</td>
                  <td>
                    {e.displayName} ({e.username})
                  </td>
                  <td>{describeStaffEvent(t, ctx.tenant, locale, e)}</td>
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
    </Layout>
  );
}

export async function auditPlugin(app: FastifyInstance): Promise<void> {
  app.get('/staff/audit', async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    if (!canReadAuditLog(staffPrincipal(staff))) throw new AppError('FORBIDDEN');
    const q = req.query as { case?: string; before?: string };
    const reference = typeof q.case === 'string' ? q.case.trim().slice(0, 40) : '';
    const entries = await listAudit(req.tdb, { caseReference: reference || undefined, before: decodePageCursor(q.before), limit: PAGE + 1 });
    const page = entries.slice(0, PAGE);
    const last = page.at(-1);
    const nextHref =
      entries.length > PAGE && last
        ? `/staff/audit?${new URLSearchParams({ ...(reference ? { case: reference } : {}), before: encodePageCursor(last) })}`
        : undefined;
    return reply.page(<AuditPage ctx={req.viewContext()} entries={page} reference={reference} nextHref={nextHref} />);
  });

  app.get(STAFF_ACCOUNTS, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    if (!canReadAuditLog(staffPrincipal(staff))) throw new AppError('FORBIDDEN');
    const q = req.query as { before?: string };
    const events = await listStaffAccountEvents(req.tdb, { before: decodePageCursor(q.before), limit: PAGE + 1 });
    const page = events.slice(0, PAGE);
    const last = page.at(-1);
    const nextHref =
      events.length > PAGE && last ? `${STAFF_ACCOUNTS}?${new URLSearchParams({ before: encodePageCursor({ at: last.createdAt, id: last.id }) })}` : undefined;
    return reply.page(<StaffAccountEventsPage ctx={req.viewContext()} events={page} nextHref={nextHref} />);
  });

  app.get('/staff/audit.csv', async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    if (!canReadAuditLog(staffPrincipal(staff))) throw new AppError('FORBIDDEN');
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
