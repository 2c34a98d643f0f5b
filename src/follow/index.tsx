/**
 * The private follow link of a case sent without signing in (ADR 0015): `/follow/<token>` shows
 * the case's status, its history as a resident sees it (decisions and closing included), and takes
 * a message while the case is open. The token is the whole authority: it opens its own case only,
 * and an unknown, malformed or other tenant's token is the same 404 as any unknown page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../kernel/errors.ts';
import { pick } from '../kernel/i18n/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Alert, Button, CsrfField, ErrorSummary, Heading, Paragraph, Tag, Textarea, type FieldError } from '../kernel/html/components.tsx';
import { readJournal, type JournalEntry } from '../archive/index.ts';
import { attachmentFile, caseActions, documentFile, getCase, sendAttachment, sendDocument, statusColor, statusLabel, Timeline, type Case } from '../cases/index.ts';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { documentsOfCase, type StoredDocument } from '../documents/index.ts';
import { caseIdOfToken } from './links.ts';
import './messages.ts';

export { newFollowLink, caseIdOfToken } from './links.ts';

const MAX_MESSAGE = 4000;

interface FollowView {
  ctx: ViewContext;
  token: string;
  c: Case;
  definition: ServiceDefinition;
  entries: JournalEntry[];
  documents: StoredDocument[];
  flash?: string | undefined;
  error?: string | undefined;
  value?: string | undefined;
}

function FollowPage(v: FollowView) {
  const { ctx, c, definition: def, token } = v;
  const { t, locale } = ctx;
  const title = t('follow.title', { reference: c.reference });
  const final = def.workflow.states.find((s) => s.id === c.status)?.final;
  const errors: FieldError[] = v.error ? [{ field: 'f-message', message: v.error }] : [];
  const messages = v.entries.filter((e) => e.kind === 'message');
  return (
    <Layout ctx={ctx} title={v.error ? `${t('forms.error.summaryTitle')}: ${title}` : title}>
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={errors} />
      {v.flash && <Alert kind="success">{v.flash}</Alert>}
      <Heading>{title}</Heading>
      <Paragraph lead>{pick(def.title, locale)}</Paragraph>
      <p>
        {t('my.case.status')}: <Tag color={statusColor(def, c.status)}>{statusLabel(def, c.status, locale)}</Tag>
      </p>
      <Paragraph>{t('follow.intro')}</Paragraph>
      {v.documents.some((d) => d.kind === 'decision_letter') && (
        <section aria-labelledby="docs-h">
          <Heading level={2} size="sm">
            <span id="docs-h">{t('my.case.documents')}</span>
          </Heading>
          <ul class="mb-list-plain">
            {v.documents
              .filter((d) => d.kind === 'decision_letter')
              .map((d) => (
                <li key={d.id}>
                  <a class="ds-link" href={`/follow/${token}/documents/${d.id}.pdf`} hrefLang={d.locale}>
                    {t('my.case.letter', { language: t(`lang.${d.locale}`) })}
                  </a>
                </li>
              ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="hist-h">
        <Heading level={2} size="sm">
          <span id="hist-h">{t('my.case.history')}</span>
        </Heading>
        <Timeline entries={v.entries} definition={def} locale={locale} t={t} audience="resident" attachmentHref={(id) => `/follow/${token}/attachments/${id}`} />
      </section>
      <section aria-labelledby="msg-h">
        <Heading level={2} size="sm">
          <span id="msg-h">{t('my.case.messages')}</span>
        </Heading>
        {messages.length ? (
          <Timeline entries={messages} definition={def} locale={locale} t={t} audience="resident" attachmentHref={(id) => `/follow/${token}/attachments/${id}`} />
        ) : (
          <Paragraph>{t(final ? 'my.case.noMessagesFinal' : 'my.case.noMessages')}</Paragraph>
        )}
        {!final && (
          <form method="post" action={`/follow/${token}/messages`}>
            <CsrfField token={ctx.csrfToken} />
            <Textarea id="f-message" name="body" label={t('my.case.writeMessage')} value={v.value ?? ''} error={v.error} maxLength={MAX_MESSAGE} />
            <Button variant="secondary">{t('my.case.send')}</Button>
          </form>
        )}
      </section>
    </Layout>
  );
}

export async function followPlugin(app: FastifyInstance): Promise<void> {
  async function load(req: FastifyRequest): Promise<{ token: string; c: Case; def: ServiceDefinition }> {
    const { token } = req.params as { token: string };
    const caseId = await caseIdOfToken(req.tdb, token);
    const c = caseId ? await getCase(req.tdb, caseId) : undefined;
    if (!c) throw new AppError('NOT_FOUND');
    const def = await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion);
    if (!def) throw new AppError('SERVICE_NOT_FOUND');
    return { token, c, def };
  }

  async function render(req: FastifyRequest, reply: FastifyReply, token: string, c: Case, def: ServiceDefinition, extra: { error?: string; value?: string } = {}, status = 200) {
    await app.sessions.ensure(req, reply);
    const [entries, documents] = await Promise.all([readJournal(req.tdb, c.id), documentsOfCase(req.tdb, c.id)]);
    const flash = (req.query as { done?: string }).done === 'message' ? req.t('follow.sent') : undefined;
    // The link is the key to the case: not kept by caches, not sent on as a referrer.
    reply.header('referrer-policy', 'no-referrer');
    return reply.page(<FollowPage ctx={req.viewContext()} token={token} c={c} definition={def} entries={entries} documents={documents} flash={flash} {...extra} />, status);
  }

  app.get('/follow/:token', async (req, reply) => {
    const { token, c, def } = await load(req);
    return render(req, reply, token, c, def);
  });

  app.get('/follow/:token/documents/:docId.pdf', async (req, reply) => {
    const { c } = await load(req);
    return sendDocument(reply.header('referrer-policy', 'no-referrer'), c, await documentFile(req, app.blobs, c, (req.params as { docId: string }).docId));
  });

  app.get('/follow/:token/attachments/:attachmentId', async (req, reply) => {
    const { c } = await load(req);
    return sendAttachment(reply.header('referrer-policy', 'no-referrer'), await attachmentFile(req, app.blobs, c, (req.params as { attachmentId: string }).attachmentId));
  });

  app.post('/follow/:token/messages', async (req, reply) => {
    const { token, c, def } = await load(req);
    if (def.workflow.states.find((s) => s.id === c.status)?.final) throw new AppError('FORBIDDEN');
    const raw = (req.body as { body?: unknown } | undefined)?.body;
    const body = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
    const error = !body ? req.t('my.case.error.messageRequired') : body.length > MAX_MESSAGE ? req.t('my.case.error.messageTooLong', { max: MAX_MESSAGE }) : undefined;
    if (error) return render(req, reply, token, c, def, { error, value: typeof raw === 'string' ? raw : '' }, 400);
    await caseActions.residentMessage(req.tdb, c.id, null, body, app.clock.now());
    return reply.redirect(`/follow/${token}?done=message`, 303);
  });
}
