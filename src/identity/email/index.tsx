/**
 * E-mail verification (ADR 0015): a person shows an address is theirs with a one-time code sent
 * through the outbox. The verified address is kept in the server-side session (anonymous or not),
 * where the forms engine finds it for an applicant without e-ID and the follow pages for someone
 * coming back to their cases. Codes: codes.ts; pages: /verify-email, /verify-email/code.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { limitAttempt } from '../../kernel/http/attempt-limit.ts';
import { safeBackPath } from '../../kernel/http/back-path.ts';
import { pick, translate } from '../../kernel/i18n/index.ts';
import { enqueue } from '../../notify/index.ts';
import { checkCode, createCode } from './codes.ts';
import { CodePage, EmailPage } from './views.tsx';
import './messages.ts';

export { checkCode, createCode, MAX_CODE_ATTEMPTS, CODE_TTL_MS } from './codes.ts';

const PENDING = 'emailCode';
const VERIFIED = 'verifiedEmail';

export interface VerifiedEmail {
  email: string;
  /** ISO time of the verification. */
  at: string;
}

interface PendingCode {
  id: string;
  email: string;
  back: string;
}

/** The address this session verified, if any. */
export function verifiedEmailOf(req: FastifyRequest): VerifiedEmail | undefined {
  const v = req.session?.data[VERIFIED] as VerifiedEmail | undefined;
  return v && typeof v.email === 'string' && typeof v.at === 'string' ? v : undefined;
}

/** Where to send someone to verify an address and come back to `back`. */
export function verifyEmailHref(back: string, email?: string): string {
  return `/verify-email?back=${encodeURIComponent(back)}${email ? `&email=${encodeURIComponent(email)}` : ''}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function isEmailAddress(value: string): boolean {
  return value.length >= 3 && value.length <= 254 && EMAIL.test(value);
}

// A code costs an e-mail: at most 5 per session and 10 per address an hour, counted in the database.
const SEND_PER_SESSION = { name: 'email-code-session', max: 5, windowMs: 60 * 60_000 };
const SEND_PER_ADDRESS = { name: 'email-code-address', max: 10, windowMs: 60 * 60_000 };

export async function emailVerificationRoutes(app: FastifyInstance): Promise<void> {
  app.get('/verify-email', async (req, reply) => {
    await app.sessions.ensure(req, reply);
    const q = req.query as { back?: string; email?: string };
    const email = typeof q.email === 'string' ? q.email.slice(0, 254) : (verifiedEmailOf(req)?.email ?? '');
    return reply.page(<EmailPage ctx={req.viewContext()} back={safeBackPath(q.back)} value={email} />);
  });

  app.post('/verify-email', async (req, reply) => {
    const session = await app.sessions.ensure(req, reply);
    const body = (req.body ?? {}) as { email?: unknown; back?: unknown };
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const back = safeBackPath(body.back);
    if (!isEmailAddress(email)) {
      return reply.page(<EmailPage ctx={req.viewContext()} back={back} value={email} error={req.t('email.error.address')} />, 400);
    }
    await limitAttempt(req, reply, SEND_PER_SESSION, session.id);
    await limitAttempt(req, reply, SEND_PER_ADDRESS, email.toLowerCase());
    const now = app.clock.now();
    const l = req.locale;
    const { id } = await req.tdb.transaction(async (tx) => {
      const made = await createCode(tx, email, now);
      await enqueue(
        tx,
        { kind: 'email', payload: { to: email, subject: translate(l, 'email.mail.subject', { code: made.code }), text: translate(l, 'email.mail.body', { code: made.code, tenant: pick(req.tenant.name, l) }), locale: l } },
        now,
      );
      return made;
    });
    const pending: PendingCode = { id, email, back };
    await app.sessions.update(req, { data: { ...session.data, [PENDING]: pending } });
    return reply.redirect('/verify-email/code', 303);
  });

  function pendingOf(req: FastifyRequest): PendingCode {
    const p = req.session?.data[PENDING] as PendingCode | undefined;
    if (!p || typeof p.id !== 'string') throw new AppError('NOT_FOUND');
    return p;
  }

  app.get('/verify-email/code', async (req, reply) => {
    const p = pendingOf(req);
    return reply.page(<CodePage ctx={req.viewContext()} email={p.email} back={p.back} />);
  });

  app.post('/verify-email/code', async (req, reply) => {
    const p = pendingOf(req);
    const raw = (req.body as { code?: unknown } | undefined)?.code;
    const typed = typeof raw === 'string' ? raw.trim() : '';
    const page = (error: string) => reply.page(<CodePage ctx={req.viewContext()} email={p.email} back={p.back} error={error} />, 400);
    if (!typed) return page(req.t('email.error.empty'));
    const result = await checkCode(req.tdb, p.id, typed, app.clock.now());
    if (!result.ok) {
      // The last wrong answer spends the code: say so rather than "0 attempts left".
      const reason = result.reason === 'wrong' && result.attemptsLeft === 0 ? 'exhausted' : result.reason;
      return page(reason === 'wrong' && result.reason === 'wrong' ? req.t('email.error.wrong', { left: result.attemptsLeft }) : req.t(`email.error.${reason}`));
    }
    const { [PENDING]: _done, ...rest } = req.session!.data;
    const verified: VerifiedEmail = { email: result.email, at: app.clock.now().toISOString() };
    // A new session token once the address is proven, as at sign-in: a token planted before is worth nothing after.
    await app.sessions.start(req, reply, req.session!.kind, req.session!.subjectId, { ...rest, [VERIFIED]: verified });
    return reply.redirect(p.back, 303);
  });
}
