/** The co-signer's answer route and co-signing's sections of the case pages and receipt (ADR 0016). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CaseExtension } from '../cases/index.ts';
import type { Case } from '../cases/index.ts';
import { residentCase } from '../cases/index.ts';
import { getResident } from '../identity/eid/index.ts';
import { AppError } from '../kernel/errors.ts';
import { formatDate, translate } from '../kernel/i18n/index.ts';
import { canCoSign } from '../policy/index.ts';
import { answerCoSign, applicantEmailOf, CoSignClosedError, pendingRequestOf, signerLabel } from './co-signing.ts';
import { CoSignQuestion, CoSignStaffSection, CoSignStatus, MAX_REASON, statusText } from './views.tsx';

const FLASH: Record<string, string> = { approved: 'cosign.done.approved', rejected: 'cosign.done.rejected', closed: 'cosign.done.closed' };

export async function coSigningRoutes(app: FastifyInstance): Promise<void> {
  app.post('/my/cases/:caseId/co-sign', async (req, reply) => {
    const read = await residentCase(app, req, reply);
    if (!read) return reply;
    const { resident, who, c, def } = read;
    // A party who reads the case but is asked nothing (the applicant) knows it exists: 403.
    if (!canCoSign(who, c) || !def.coSign) throw new AppError('FORBIDDEN');
    const body = (req.body ?? {}) as { answer?: unknown; reason?: unknown };
    const back = (q: string) => reply.redirect(`/my/cases/${c.id}?cosign=${q}#cosign`, 303);
    const answer = body.answer === 'approve' ? 'approved' : body.answer === 'reject' ? 'rejected' : undefined;
    const reason = typeof body.reason === 'string' ? body.reason.replace(/\r\n?/g, '\n').trim() : '';
    if (!answer) return back('missing');
    if (reason.length > MAX_REASON) return back('long');
    try {
      await answerCoSign(req.tdb, def, c.id, { kind: 'resident', residentId: resident.id, personalNumber: resident.personalNumber }, answer, {
        reason: reason || undefined,
        siteUrl: `${req.protocol}://${req.host}`,
        applicantEmail: await applicantEmailOf(req.tdb, def, c),
        now: app.clock.now(),
      });
    } catch (err) {
      // Answered in another tab, expired, or the case withdrawn meanwhile: the page says where it stands.
      if (err instanceof CoSignClosedError) return back('closed');
      throw err;
    }
    return back(answer);
  });
}

async function definitionOf(req: FastifyRequest, c: Case) {
  return req.server.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion);
}

const coSigners = (c: Case) => c.parties.filter((p) => p.role === 'co_applicant' && p.status !== null);

/** Co-signing on the resident's and the handler's case pages and on the receipt. */
export const coSigningCaseExtension: CaseExtension = {
  async residentSection(req, c) {
    const parties = coSigners(c);
    const def = parties.length ? await definitionOf(req, c) : undefined;
    const viewerId = req.session?.kind === 'resident' ? req.session.subjectId : undefined;
    const viewer = viewerId ? await getResident(req.tdb, viewerId) : undefined;
    if (!def?.coSign || !viewer) return null;
    const ctx = req.viewContext();
    const q = (req.query as { cosign?: string }).cosign ?? '';
    const mine = pendingRequestOf(c, { residentId: viewer.id, personalNumber: viewer.personalNumber });
    if (mine && mine.dueAt !== null && new Date(mine.dueAt) > req.server.clock.now()) {
      const error = q === 'missing' ? ctx.t('cosign.error.answer') : q === 'long' ? ctx.t('cosign.error.reason', { max: MAX_REASON }) : undefined;
      return <CoSignQuestion ctx={ctx} caseId={c.id} def={def} party={mine} error={error} />;
    }
    // The applicant is told how to ask a co-signer the platform could not e-mail.
    const isApplicant = c.parties.some((p) => p.role === 'applicant' && (p.residentId === viewer.id || p.personalNumber === viewer.personalNumber));
    const unasked = parties.find((p) => p.status === 'pending' && p.details?.notifiedByEmail !== true);
    const howToAsk = isApplicant && unasked?.dueAt ? ctx.t('cosign.howToAsk', { signer: signerLabel(def, ctx.locale), due: formatDate(unasked.dueAt, ctx.locale), site: req.host }) : undefined;
    const flash = FLASH[q] ? ctx.t(FLASH[q]!) : undefined;
    return <CoSignStatus ctx={ctx} def={def} parties={parties} flash={flash} howToAsk={howToAsk} />;
  },
  async staffSection(req, c) {
    const parties = coSigners(c);
    if (!parties.length) return null;
    return <CoSignStaffSection ctx={req.viewContext()} parties={parties} />;
  },
  async receiptSections(req, c, locale) {
    const parties = coSigners(c);
    const def = parties.length ? await definitionOf(req, c) : undefined;
    if (!def?.coSign) return [];
    // The receipt is the applicant's: the co-signer by label and the request's state, never a name.
    return [{ heading: translate(locale, 'cosign.section.title'), rows: parties.map((p) => [signerLabel(def, locale), statusText(p, locale)] as [string, string]) }];
  },
};

/** What the confirmation page tells the applicant: the co-signer was e-mailed, or how to ask them. */
export function confirmationNotice(def: { coSign?: unknown } & Parameters<typeof signerLabel>[0], c: Case, locale: 'sv' | 'en', site: string): string | undefined {
  const pending = coSigners(c).find((p) => p.status === 'pending');
  if (!def.coSign || !pending?.dueAt) return undefined;
  const vars = { signer: signerLabel(def, locale, true), due: formatDate(pending.dueAt, locale), site };
  if (pending.details?.notifiedByEmail === true) return translate(locale, 'cosign.emailed', vars);
  return translate(locale, 'cosign.howToAsk', { ...vars, signer: signerLabel(def, locale) });
}
