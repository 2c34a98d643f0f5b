/** The security officer's view of the audit log, and its CSV export. */
import type { FastifyInstance } from 'fastify';
import { requireStaff } from '../identity/staff/index.ts';
import { canReadAuditLog } from '../policy/index.ts';
import { AppError } from '../kernel/errors.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Button, Heading, Paragraph, TextField } from '../kernel/html/components.tsx';
import { formatDate } from '../kernel/i18n/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { auditCsv, listAudit, recordAudit, type AuditEntry } from './index.ts';
import '../cases/handler-messages.ts';

const PAGE = 50;

function AuditPage({ ctx, entries, reference, nextHref }: { ctx: ViewContext; entries: AuditEntry[]; reference: string; nextHref: string | undefined }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('audit.title')} section="staff">
      <Heading>{t('audit.title')}</Heading>
      <Paragraph>{t('audit.intro')}</Paragraph>
      <form method="get" action="/staff/audit" class="mb-filters">
        <TextField id="f-case" name="case" label={t('audit.filterCase')} value={reference} width="medium" />
        <Button variant="secondary">{t('inbox.apply')}</Button>
      </form>
      <p>
        <a class="ds-link" href={`/staff/audit.csv${reference ? `?case=${encodeURIComponent(reference)}` : ''}`}>
          {t('audit.export')}
        </a>
      </p>
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

function cursor(s: unknown): { at: Date; id: string } | undefined {
  if (typeof s !== 'string' || s.length > 200) return undefined;
  const [at, id] = Buffer.from(s, 'base64url').toString().split('|');
  const d = new Date(at ?? '');
  return Number.isNaN(d.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? '') ? undefined : { at: d, id: id! };
}

export async function auditPlugin(app: FastifyInstance): Promise<void> {
  app.get('/staff/audit', async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    if (!canReadAuditLog({ kind: 'staff', id: staff.id, roles: staff.roles, departments: staff.departments })) throw new AppError('FORBIDDEN');
    const q = req.query as { case?: string; before?: string };
    const reference = typeof q.case === 'string' ? q.case.trim().slice(0, 40) : '';
    const entries = await listAudit(req.tdb, { caseReference: reference || undefined, before: cursor(q.before), limit: PAGE + 1 });
    const page = entries.slice(0, PAGE);
    const last = page.at(-1);
    const nextHref =
      entries.length > PAGE && last
        ? `/staff/audit?${new URLSearchParams({ ...(reference ? { case: reference } : {}), before: Buffer.from(`${last.at.toISOString()}|${last.id}`).toString('base64url') })}`
        : undefined;
    return reply.page(<AuditPage ctx={req.viewContext()} entries={page} reference={reference} nextHref={nextHref} />);
  });

  app.get('/staff/audit.csv', async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    if (!canReadAuditLog({ kind: 'staff', id: staff.id, roles: staff.roles, departments: staff.departments })) throw new AppError('FORBIDDEN');
    const reference = typeof (req.query as { case?: string }).case === 'string' ? (req.query as { case: string }).case.trim().slice(0, 40) : '';
    const now = app.clock.now();
    // Exporting the log is itself a read of personal data, so it is logged first.
    await recordAudit(req.tdb, { staffId: staff.id, action: 'audit.export', objectType: 'audit_log', objectId: reference || '*', requestId: req.id }, now);
    const entries = await listAudit(req.tdb, { caseReference: reference || undefined, limit: 100_000 });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${req.tenant.id}-${now.toISOString().slice(0, 10)}.csv"`)
      .header('cache-control', 'private, no-store')
      .send('\ufeff' + auditCsv(entries));
  });
}
