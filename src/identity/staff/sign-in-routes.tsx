/**
 * Routes of staff sign-in: /staff/sign-in (password), /staff/sign-in/code (TOTP),
 * /staff/sign-in/recovery (recovery code), /staff/sign-in/enrol (first TOTP), /staff/sign-out.
 * Between the password and the second factor the session is 'staff_pending'; each step starts a
 * new session (a new cookie token), so a token seen before sign-in is worthless after it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assertCsrf, limitAttempt, safeBackPath, type AttemptLimit } from '../../kernel/http/index.ts';
import { pick } from '../../kernel/i18n/index.ts';
import type { StaffContext } from './accounts.ts';
import {
  checkPassword,
  completeSignIn,
  confirmEnrolment,
  enrolmentSecret,
  LOCK_MINUTES,
  pendingAccount,
  useRecoveryCode,
  verifyTotp,
  type CodeResult,
} from './authentication.ts';
import { queryParam, textField } from './form.ts';
import { groupSecret, looksLikeTotpCode, totpQrDataUrl, totpUri } from './totp.ts';
import type { StaffAccount } from './types.ts';
import { normaliseUsername, type Issue } from './validation.ts';
import { toFieldErrors } from './views/shared.tsx';
import { CodePage, EnrolPage, RecoveryCodesPage, RecoveryPage, SignInPage } from './views/sign-in-pages.tsx';

/**
 * Password attempts allowed per IP (all attempts) and per username (failed attempts), counted in the
 * database (kernel/http/attempt-limit.ts) so every node shares them.
 */
export const SIGN_IN_LIMITS = {
  perIp: { name: 'staff-sign-in-ip', max: 60, windowMs: 5 * 60_000 },
  perUsername: { name: 'staff-sign-in-username', max: 10, windowMs: 15 * 60_000 },
} as const satisfies Record<string, AttemptLimit>;

function backOf(value: unknown): string {
  const path = safeBackPath(value);
  return path === '/' || path.startsWith('/staff/sign-in') ? '/staff' : path;
}

export function registerSignInRoutes(app: FastifyInstance, contextFor: (req: FastifyRequest) => StaffContext): void {
  // Codes need a pending session, which needs the password; the account's failed-attempt lock in
  // the database (authentication.ts) bounds guessing there, across every node.

  function renderSignIn(req: FastifyRequest, reply: FastifyReply, p: { username?: string; back?: string; issues?: Issue[]; status?: number }) {
    return reply.page(
      <SignInPage ctx={req.viewContext()} username={p.username ?? ''} back={p.back ?? '/staff'} errors={toFieldErrors(req.t, p.issues ?? [])} oidcAvailable={Boolean(req.tenant.staffOidc)} />,
      p.status ?? 200,
    );
  }

  /** The account a 'staff_pending' session belongs to, or a redirect already sent. */
  async function pending(req: FastifyRequest, reply: FastifyReply): Promise<StaffAccount | undefined> {
    const s = req.session;
    if (!s || s.kind !== 'staff_pending' || !s.subjectId) {
      reply.redirect('/staff/sign-in', 303);
      return undefined;
    }
    const found = await pendingAccount(contextFor(req), s.subjectId);
    if (found === undefined || found === 'locked') {
      await app.sessions.end(req, reply);
      reply.redirect(found === 'locked' ? '/staff/sign-in?locked=1' : '/staff/sign-in', 303);
      return undefined;
    }
    return found;
  }

  /** The second factor passed: a fresh 'staff' session, then where the member was going. */
  async function finish(req: FastifyRequest, reply: FastifyReply, account: StaffAccount): Promise<string> {
    const back = backOf(req.session?.data.back);
    await completeSignIn(contextFor(req), account);
    await app.sessions.start(req, reply, 'staff', account.id, { displayName: account.displayName });
    return account.passwordMustChange ? '/staff/password' : back;
  }

  app.get('/staff/sign-in', async (req, reply) => {
    const s = req.session;
    const back = backOf(queryParam(req.query, 'back'));
    if (s?.kind === 'staff') return reply.redirect(back, 303);
    if (s?.kind === 'staff_pending') return reply.redirect('/staff/sign-in/code', 303);
    await app.sessions.ensure(req, reply);
    const notice = queryParam(req.query, 'signed-out') === '1' ? 'signed-out' : queryParam(req.query, 'locked') === '1' ? 'locked' : undefined;
    return reply.page(<SignInPage ctx={req.viewContext()} username="" back={back} errors={[]} notice={notice} lockMinutes={LOCK_MINUTES} oidcAvailable={Boolean(req.tenant.staffOidc)} />);
  });

  app.post('/staff/sign-in', async (req, reply) => {
    // Per IP: every password attempt counts (it slows password spraying across usernames).
    await limitAttempt(req, reply, SIGN_IN_LIMITS.perIp, req.ip);
    const username = textField(req.body, 'username');
    const password = textField(req.body, 'password', true);
    const back = backOf(textField(req.body, 'back'));
    const missing: Issue[] = [
      ...(username ? [] : [{ field: 'username', key: 'staff.error.usernameMissing' }]),
      ...(password ? [] : [{ field: 'password', key: 'staff.error.passwordMissing' }]),
    ];
    if (missing.length) return renderSignIn(req, reply, { username, back, issues: missing, status: 400 });

    // Per username only failures count, so signing in often is fine. The attempt is still counted
    // before argon2 runs, so no more than the limit are ever checked however many arrive at once,
    // and given back when the password was right.
    const attempt = await limitAttempt(req, reply, SIGN_IN_LIMITS.perUsername, normaliseUsername(username));
    const result = await checkPassword(contextFor(req), username, password);
    if (!result.ok) {
      const key = result.reason === 'disabled' ? 'staff.signIn.disabled' : 'staff.signIn.failed';
      return renderSignIn(req, reply, { username, back, issues: [{ field: 'username', key }], status: 401 });
    }
    await attempt.refund();
    await app.sessions.start(req, reply, 'staff_pending', result.account.id, { back });
    return reply.redirect(result.account.totpEnrolledAt ? '/staff/sign-in/code' : '/staff/sign-in/enrol', 303);
  });

  const codeIssue: Record<Exclude<CodeResult, 'ok' | 'locked' | 'unusable'>, string> = {
    wrong: 'staff.error.codeWrong',
    reused: 'staff.error.codeReused',
  };

  app.get('/staff/sign-in/code', async (req, reply) => {
    const account = await pending(req, reply);
    if (!account) return reply;
    if (!account.totpEnrolledAt) return reply.redirect('/staff/sign-in/enrol', 303);
    return reply.page(<CodePage ctx={req.viewContext()} errors={[]} />);
  });

  app.post('/staff/sign-in/code', async (req, reply) => {
    const account = await pending(req, reply);
    if (!account) return reply;
    const code = textField(req.body, 'code');
    const render = (key: string, status: number) =>
      reply.page(<CodePage ctx={req.viewContext()} errors={toFieldErrors(req.t, [{ field: 'code', key }])} />, status);
    if (!code) return render('staff.error.codeRequired', 400);
    if (!looksLikeTotpCode(code)) return render('staff.error.codeFormat', 400);
    const result = await verifyTotp(contextFor(req), account, code);
    if (result === 'ok') return reply.redirect(await finish(req, reply, account), 303);
    if (result === 'unusable') return reply.redirect('/staff/sign-in/enrol', 303);
    if (result === 'locked') {
      await app.sessions.end(req, reply);
      return reply.redirect('/staff/sign-in?locked=1', 303);
    }
    return render(codeIssue[result], 401);
  });

  app.get('/staff/sign-in/recovery', async (req, reply) => {
    const account = await pending(req, reply);
    if (!account) return reply;
    if (!account.totpEnrolledAt) return reply.redirect('/staff/sign-in/enrol', 303);
    return reply.page(<RecoveryPage ctx={req.viewContext()} errors={[]} />);
  });

  app.post('/staff/sign-in/recovery', async (req, reply) => {
    const account = await pending(req, reply);
    if (!account) return reply;
    const code = textField(req.body, 'recoveryCode');
    const render = (key: string, status: number) =>
      reply.page(<RecoveryPage ctx={req.viewContext()} errors={toFieldErrors(req.t, [{ field: 'recoveryCode', key }])} />, status);
    if (!code) return render('staff.error.recoveryRequired', 400);
    const result = await useRecoveryCode(contextFor(req), account, code.slice(0, 40));
    if (result === 'ok') return reply.redirect(await finish(req, reply, account), 303);
    if (result === 'unusable') return reply.redirect('/staff/sign-in/enrol', 303);
    if (result === 'locked') {
      await app.sessions.end(req, reply);
      return reply.redirect('/staff/sign-in?locked=1', 303);
    }
    return render('staff.error.recoveryWrong', 401);
  });

  async function renderEnrol(req: FastifyRequest, reply: FastifyReply, account: StaffAccount, issues: Issue[], status: number) {
    const secret = await enrolmentSecret(contextFor(req), account);
    const uri = totpUri(secret, pick(req.tenant.name, 'sv'), account.username);
    return reply.page(
      <EnrolPage
        ctx={req.viewContext()}
        username={account.username}
        secret={groupSecret(secret)}
        qrDataUrl={await totpQrDataUrl(uri)}
        errors={toFieldErrors(req.t, issues)}
      />,
      status,
    );
  }

  app.get('/staff/sign-in/enrol', async (req, reply) => {
    const account = await pending(req, reply);
    if (!account) return reply;
    if (account.totpEnrolledAt) return reply.redirect('/staff/sign-in/code', 303);
    return renderEnrol(req, reply, account, [], 200);
  });

  app.post('/staff/sign-in/enrol', async (req, reply) => {
    const account = await pending(req, reply);
    if (!account) return reply;
    if (account.totpEnrolledAt) return reply.redirect('/staff/sign-in/code', 303);
    const code = textField(req.body, 'code');
    if (!code) return renderEnrol(req, reply, account, [{ field: 'code', key: 'staff.error.codeRequired' }], 400);
    const r = await confirmEnrolment(contextFor(req), account, code);
    switch (r.result) {
      case 'ok': {
        const next = await finish(req, reply, account);
        return reply.page(<RecoveryCodesPage ctx={req.viewContext()} codes={r.recoveryCodes} next={next} />);
      }
      case 'format':
        return renderEnrol(req, reply, account, [{ field: 'code', key: 'staff.error.codeFormat' }], 400);
      case 'wrong':
            return renderEnrol(req, reply, account, [{ field: 'code', key: 'staff.error.codeWrong' }], 401);
      case 'locked':
        await app.sessions.end(req, reply);
        return reply.redirect('/staff/sign-in?locked=1', 303);
      default:
        return reply.redirect('/staff/sign-in/code', 303);
    }
  });

  // CSRF is checked here rather than by the kernel (as for the residents' /sign-out): signing out
  // of a page whose session has already expired should land on "you are signed out", not on "the
  // form has expired". With a live session the token is still demanded, so no other site can sign
  // a member out.
  app.post('/staff/sign-out', { config: { csrf: false } }, async (req, reply) => {
    if (req.session) {
      assertCsrf(req);
      await app.sessions.end(req, reply);
    }
    return reply.redirect('/staff/sign-in?signed-out=1', 303);
  });
}
