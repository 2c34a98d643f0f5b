/**
 * The private follow link of a case sent without signing in (ADR 0015): `/follow/<token>` shows
 * the case's status, its history as a resident sees it (decisions and closing included), and takes
 * a message while the case is open. The token is the whole authority: it opens its own case only,
 * and an unknown, malformed or other tenant's token is the same 404 as any unknown page.
 */
import type { VNode } from 'preact';
import { listAboutOf, type CaseExtension } from '../cases/index.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../kernel/errors.ts';
import { pick } from '../kernel/i18n/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { ErrorSummary, Heading, Paragraph, Tag, type FieldError } from '../kernel/html/components.tsx';
import { NoticeBanner, noticeTitle } from '../kernel/html/notice.tsx';
import { readJournal, type JournalEntry } from '../archive/index.ts';
import { attachmentFile, CaseDecision, CaseHistory, CaseMessages, caseActions, casesOfEmail, DecisionLetterItems, documentFile, getCase, messageWindow, namedSubject, sendAttachment, sendDocument, statusColor, statusLabel, type Case, type MessageWindow } from '../cases/index.ts';
import type { RegisterEntry, ServiceDefinition } from '../catalogue/types.ts';
import { documentsOfCase, type StoredDocument } from '../documents/index.ts';
import { caseIdOfToken } from './links.ts';
import { canReadCase, emailPrincipal } from '../policy/index.ts';
import { verifiedEmailOf, verifyEmailHref } from '../identity/email/index.tsx';
import { isUuid } from '../kernel/ids.ts';
import './messages.ts';

export { newFollowLink, caseIdOfToken } from './links.ts';

interface FollowView {
  ctx: ViewContext;
  /** Where this case's pages are: /follow/<token>, or /follow/mine/<case id> for someone verified by e-mail. */
  base: string;
  c: Case;
  definition: ServiceDefinition;
  entries: JournalEntry[];
  documents: StoredDocument[];
  flash?: string | undefined;
  error?: string | undefined;
  value?: string | undefined;
  window: MessageWindow;
  register: (id: string) => RegisterEntry[] | undefined;
  /** What other modules show of the case (a booking's time and place). */
  sections?: VNode[];
}

function FollowPage(v: FollowView) {
  const { ctx, c, definition: def, base } = v;
  const { t, locale } = ctx;
  const title = t('follow.title', { reference: c.reference });
  const errors: FieldError[] = v.error ? [{ field: 'f-message', message: v.error }] : [];
  // The holder of the link (or the verified address) is who sent the case and named its subject.
  const about = namedSubject(c.parties, def, locale);
  return (
    <Layout ctx={ctx} title={v.error ? `${t('forms.error.summaryTitle')}: ${title}` : noticeTitle(title, v.flash)}>
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={errors} />
      <NoticeBanner notice={v.flash} />
      <Heading>{title}</Heading>
      <Paragraph lead>{pick(def.title, locale)}</Paragraph>
      <p>
        {t('my.case.status')}: <Tag color={statusColor(def, c.status)}>{statusLabel(def, c.status, locale)}</Tag>
      </p>
      {about && (
        <p>
          {about.label}: {about.name}
        </p>
      )}
      <Paragraph>{t('follow.intro')}</Paragraph>
      {v.sections}
      <CaseDecision ctx={ctx} c={c} definition={def} register={v.register} documents={v.documents} entries={v.entries} base={base} subject={about?.name ?? ''} applicant="" window={v.window} />
      {!c.decision && v.documents.some((d) => d.kind === 'decision_letter') && (
        <section aria-labelledby="docs-h">
          <Heading level={2} size="sm">
            <span id="docs-h">{t('my.case.documents')}</span>
          </Heading>
          <ul class="mb-list-plain">
            <DecisionLetterItems ctx={ctx} documents={v.documents} base={base} />
          </ul>
        </section>
      )}
      <CaseHistory ctx={ctx} definition={def} entries={v.entries} base={base} />
      <CaseMessages ctx={ctx} definition={def} entries={v.entries} base={base} window={v.window} canWrite value={v.value ?? ''} error={v.error} />
    </Layout>
  );
}

/** How a follow page found its case: by the link's token, or as a party verified by e-mail. */
type Access = (req: FastifyRequest, reply: FastifyReply) => Promise<{ base: string; c: Case; def: ServiceDefinition } | undefined>;

export async function followPlugin(app: FastifyInstance, opts: { extensions?: readonly CaseExtension[] } = {}): Promise<void> {
  const extensions = opts.extensions ?? [];
  const definitionOf = async (req: FastifyRequest, c: Case) => {
    const def = await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion);
    if (!def) throw new AppError('SERVICE_NOT_FOUND');
    return def;
  };

  const byToken: Access = async (req) => {
    const { token } = req.params as { token: string };
    const caseId = await caseIdOfToken(req.tdb, token);
    const c = caseId ? await getCase(req.tdb, caseId) : undefined;
    if (!c) throw new AppError('NOT_FOUND');
    return { base: `/follow/${token}`, c, def: await definitionOf(req, c) };
  };

  // Someone verified by e-mail (this session) reads the cases where that address is a party.
  const byEmail: Access = async (req, reply) => {
    const verified = verifiedEmailOf(req);
    if (!verified) {
      reply.redirect(verifyEmailHref(req.url), 303);
      return undefined;
    }
    const { caseId } = req.params as { caseId: string };
    const c = isUuid(caseId) ? await getCase(req.tdb, caseId) : undefined;
    const def = c ? await definitionOf(req, c) : undefined;
    if (!c || !def || !canReadCase(emailPrincipal(verified.email), c, def)) throw new AppError('NOT_FOUND');
    return { base: `/follow/mine/${c.id}`, c, def };
  };

  async function render(req: FastifyRequest, reply: FastifyReply, base: string, c: Case, def: ServiceDefinition, extra: { error?: string; value?: string } = {}, status = 200) {
    await app.sessions.ensure(req, reply);
    const [entries, documents, sections] = await Promise.all([readJournal(req.tdb, c.id), documentsOfCase(req.tdb, c.id), Promise.all(extensions.map((e) => e.followSection?.(req, c) ?? null))]);
    const flash = (req.query as { done?: string }).done === 'message' ? req.t('follow.sent') : undefined;
    // The link is the key to the case: not kept by caches (reply.page), not sent on as a referrer.
    reply.header('referrer-policy', 'no-referrer');
    return reply.page(
      <FollowPage ctx={req.viewContext()} base={base} c={c} definition={def} entries={entries} documents={documents} flash={flash} window={messageWindow(def, c, app.clock.now())} register={(id) => app.catalogue.register(req.tenant.id, id)} sections={sections.filter((x): x is VNode => x !== null)} {...extra} />,
      status,
    );
  }

  function routes(prefix: string, access: Access) {
    app.get(prefix, async (req, reply) => {
      const found = await access(req, reply);
      return found ? render(req, reply, found.base, found.c, found.def) : reply;
    });
    app.get(`${prefix}/documents/:docId.pdf`, async (req, reply) => {
      const found = await access(req, reply);
      if (!found) return reply;
      return sendDocument(reply.header('referrer-policy', 'no-referrer'), found.c, await documentFile(req, app.blobs, found.c, (req.params as { docId: string }).docId));
    });
    app.get(`${prefix}/attachments/:attachmentId`, async (req, reply) => {
      const found = await access(req, reply);
      if (!found) return reply;
      return sendAttachment(reply.header('referrer-policy', 'no-referrer'), await attachmentFile(req, app.blobs, found.c, (req.params as { attachmentId: string }).attachmentId));
    });
    app.post(`${prefix}/messages`, async (req, reply) => {
      const found = await access(req, reply);
      if (!found) return reply;
      const { base, c, def } = found;
      if (!messageWindow(def, c, app.clock.now()).open) throw new AppError('CASE_MESSAGES_CLOSED');
      const { body, raw, error } = caseActions.readResidentMessage(req.body, req.t);
      if (error) return render(req, reply, base, c, def, { error, value: raw }, 400);
      await caseActions.residentMessage(req.tdb, def, c.id, null, body, app.clock.now());
      return reply.redirect(`${base}?done=message`, 303);
    });
  }

  // The cases of the address this session verified: come back by e-mail code and see them.
  app.get('/follow/mine', async (req, reply) => {
    const verified = verifiedEmailOf(req);
    if (!verified) return reply.redirect(verifyEmailHref('/follow/mine'), 303);
    const principal = emailPrincipal(verified.email);
    const found = await casesOfEmail(req.tdb, verified.email);
    const readable: { c: Case; def: ServiceDefinition }[] = [];
    for (const c of found) {
      const def = await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion);
      if (def && canReadCase(principal, c, def)) readable.push({ c, def });
    }
    // What a case without a subject is about (a ceremony's room and time), as My cases says it.
    const about = await listAboutOf(extensions, req, readable.map((r) => r.c));
    return reply.page(<MyEmailCasesPage ctx={req.viewContext()} email={verified.email} cases={readable.map((r) => ({ ...r, about: about.get(r.c.id) }))} />);
  });

  routes('/follow/mine/:caseId', byEmail);
  routes('/follow/:token', byToken);
}

function MyEmailCasesPage({ ctx, email, cases }: { ctx: ViewContext; email: string; cases: { c: Case; def: ServiceDefinition; about: string | undefined }[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('follow.mine.title')}>
      <Heading>{t('follow.mine.title')}</Heading>
      <Paragraph>{t('follow.mine.intro', { email })}</Paragraph>
      {cases.length ? (
        <ul class="mb-list-plain">
          {cases.map(({ c, def, about }) => (
            <li key={c.id}>
              <a class="ds-link" href={`/follow/mine/${c.id}`}>
                {pick(def.title, locale)} – {c.reference}
              </a>{' '}
              {namedSubject(c.parties, def, locale) ? <>({namedSubject(c.parties, def, locale)!.name}) </> : about && <>({about}) </>}
              <Tag color={statusColor(def, c.status)}>{statusLabel(def, c.status, locale)}</Tag>
            </li>
          ))}
        </ul>
      ) : (
        <Paragraph>{t('follow.mine.none')}</Paragraph>
      )}
    </Layout>
  );
}
