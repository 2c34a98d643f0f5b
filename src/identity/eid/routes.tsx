/**
 * Routes of e-ID sign-in for residents: /sign-in (to the provider), /sign-in/callback (back from
 * it), /sign-out (ends our session and the provider's), /signed-out, and /my/profile.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { assertCsrf, limitAttempt, safeBackPath, type AttemptLimit, type Session } from '../../kernel/http/index.ts';
import { maskPersonalNumber } from '../../integrations/population-register/index.ts';
import { describeError, EidUnavailableError, eidSettingsFor, SignInError, type PendingSignIn, type RelyingParty } from './relying-party.ts';
import { recordSignIn, saveContact } from './residents-repository.ts';
import { requireResident, type Resident } from './residents.ts';
import { validateContact, type ContactErrors } from './contact.ts';
import { ProfilePage, SignedOutPage, SignInProblemPage, type ProfileView, type SignInProblem } from './views.tsx';
import './messages.ts';

/** Session data key for sign-ins under way, by state (a few, so a second tab does not break the first). */
const PENDING = 'eidPending';
const MAX_PENDING = 3;

/**
 * Session data key for the sign-in just finished: its state and where it returned to. The browser
 * keeps the callback URL in its history; going back to it must return there again, not say the
 * sign-in took too long. Only a redirect is made of it: the code is never exchanged twice.
 */
const DONE = 'eidDone';

/**
 * Session data key for what sign-out needs: which provider and client signed the person in. Not
 * the ID token: it carries the identity number, and sign-out names the client by client_id.
 */
const EID = 'eid';
interface EidSessionData {
  issuer: string;
  clientId: string;
}

/**
 * Per client address and municipality: enough for people, too few to hammer the e-ID provider.
 * Counted in the database (kernel/http/attempt-limit.ts), so it holds across nodes.
 */
const SIGN_IN_LIMIT: AttemptLimit = { name: 'eid-sign-in-ip', max: 20, windowMs: 60_000 };

function backPath(value: unknown): string {
  const path = safeBackPath(value);
  return /^\/sign-(in|out)|^\/signed-out/.test(path) ? '/' : path;
}

/** The origin the browser used, which is where the provider must send it back. */
function originOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host}`;
}

function pendingOf(session: Session | undefined): Record<string, PendingSignIn> {
  const value = session?.data[PENDING];
  return value && typeof value === 'object' ? (value as Record<string, PendingSignIn>) : {};
}

const PROBLEM_STATUS: Record<SignInProblem, number> = {
  failed: 400,
  cancelled: 200,
  expired: 400,
  noIdentityNumber: 403,
  assurance: 403,
  unavailable: 503,
  notConfigured: 503,
};

const PROBLEM_OF: Record<SignInError['reason'], SignInProblem> = {
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'expired',
  'no-identity-number': 'noIdentityNumber',
  assurance: 'assurance',
};

export async function eidRoutes(app: FastifyInstance, opts: { rp: RelyingParty }): Promise<void> {
  const { rp } = opts;
  const config = app.appConfig;

  const problem = (req: FastifyRequest, reply: FastifyReply, kind: SignInProblem, back: string) =>
    reply.page(<SignInProblemPage ctx={req.viewContext()} problem={kind} retryHref={`/sign-in?back=${encodeURIComponent(back)}`} />, PROBLEM_STATUS[kind]);

  app.get('/sign-in', async (req, reply) => {
    const back = backPath((req.query as { back?: unknown }).back);
    if (req.session?.kind === 'resident') return reply.redirect(back, 303);
    // Counted only when a sign-in starts: a signed-in resident's redirect writes nothing.
    await limitAttempt(req, reply, SIGN_IN_LIMIT, req.ip);
    const settings = eidSettingsFor(req.tenant, config, app.demo);
    if (!settings) return problem(req, reply, 'notConfigured', back);
    let started: Awaited<ReturnType<RelyingParty['start']>>;
    try {
      started = await rp.start(settings, { redirectUri: `${originOf(req)}/sign-in/callback`, back, locale: req.locale });
    } catch (err) {
      req.log.error({ reason: describeError(err), issuer: settings.issuer }, 'e-ID provider unavailable');
      return problem(req, reply, 'unavailable', back);
    }
    const session = await app.sessions.ensure(req, reply);
    const kept = Object.entries(pendingOf(session)).slice(-(MAX_PENDING - 1));
    await app.sessions.update(req, { data: { ...session.data, [PENDING]: Object.fromEntries([...kept, [started.pending.state, started.pending]]) } });
    return reply.redirect(started.url.href, 303);
  });

  app.get('/sign-in/callback', async (req, reply) => {
    await limitAttempt(req, reply, SIGN_IN_LIMIT, req.ip);
    const query = new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1 || req.url.length));
    const pendings = pendingOf(req.session);
    const state = query.get('state') ?? '';
    const pending = Object.hasOwn(pendings, state) ? pendings[state] : undefined;
    // Back in history to the callback of the sign-in that made this session: where it went then.
    const done = req.session?.kind === 'resident' ? (req.session.data[DONE] as { state?: unknown; back?: unknown } | undefined) : undefined;
    if (!pending && done && done.state === state) return reply.redirect(backPath(done.back), 303);
    if (!pending || !req.session) {
      req.log.warn({ reason: Object.keys(pendings).length ? 'unknown state' : 'no sign-in under way' }, 'e-ID callback refused');
      return problem(req, reply, Object.keys(pendings).length ? 'failed' : 'expired', '/');
    }
    // Single use: the state is forgotten before the code is exchanged, so a replay finds nothing.
    const rest = { ...pendings };
    delete rest[state];
    await app.sessions.update(req, { data: { ...req.session.data, [PENDING]: rest } });

    // Checked again on the way out: the session may hold a value stored before a stricter check.
    const back = backPath(pending.back);
    const settings = eidSettingsFor(req.tenant, config, app.demo);
    if (!settings) return problem(req, reply, 'notConfigured', back);
    let identity: Awaited<ReturnType<RelyingParty['finish']>>;
    try {
      identity = await rp.finish(settings, pending, query);
    } catch (err) {
      if (err instanceof SignInError) {
        req.log.warn({ reason: err.reason, detail: err.message }, 'e-ID sign-in refused');
        return problem(req, reply, PROBLEM_OF[err.reason], back);
      }
      if (err instanceof EidUnavailableError) {
        req.log.error({ reason: err.message }, 'e-ID provider unavailable');
        return problem(req, reply, 'unavailable', back);
      }
      throw err;
    }
    const residentId = await recordSignIn(req.tdb, { ...identity, locale: req.locale }, app.clock.now());
    const eid: EidSessionData = { issuer: settings.issuer, clientId: settings.clientId };
    // start() rotates the session: a new token, the anonymous one deleted.
    await app.sessions.start(req, reply, 'resident', residentId, { displayName: `${identity.givenName} ${identity.familyName}`.trim(), [EID]: eid, [DONE]: { state, back } });
    req.log.info({ residentId, acr: identity.acr }, 'resident signed in with e-ID');
    return reply.redirect(back, 303);
  });

  // CSRF is checked here rather than by the kernel: a sign-out from a page whose session has
  // already expired should simply land on "you are signed out", not on "the form has expired".
  app.post('/sign-out', { config: { csrf: false } }, async (req, reply) => {
    const session = req.session;
    if (!session) return reply.redirect('/signed-out', 303);
    assertCsrf(req);
    const eid = session.kind === 'resident' ? (session.data[EID] as EidSessionData | undefined) : undefined;
    await app.sessions.end(req, reply);
    req.log.info({ residentId: session.subjectId }, 'resident signed out');
    const settings = eidSettingsFor(req.tenant, config, app.demo);
    if (eid && settings && settings.issuer === eid.issuer && settings.clientId === eid.clientId) {
      try {
        const url = await rp.endSessionUrl(settings, `${originOf(req)}/signed-out`);
        if (url) return reply.redirect(url, 303);
      } catch (err) {
        // Our session has ended either way; the provider's will time out on its own.
        req.log.warn({ reason: describeError(err) }, 'could not end the e-ID session');
      }
    }
    return reply.redirect('/signed-out', 303);
  });

  app.get('/signed-out', async (req, reply) => reply.page(<SignedOutPage ctx={req.viewContext()} />));

  async function profileView(req: FastifyRequest, resident: Resident, values: { email: string; phone: string }, errors: ContactErrors, saved: boolean) {
    let address: ProfileView['address'];
    try {
      address = (await app.populationRegister.lookup(req.tenant.id, resident.personalNumber))?.address;
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'POPULATION_REGISTER_UNAVAILABLE')) throw err;
      req.log.warn({ reason: err.message }, 'population register unavailable');
      address = 'unavailable';
    }
    const view: ProfileView = {
      name: resident.name,
      maskedPersonalNumber: maskPersonalNumber(resident.personalNumber),
      address,
      email: values.email,
      phone: values.phone,
      errors: (Object.entries(errors) as [string, string][]).map(([field, key]) => ({ field, message: req.t(key) })),
      saved,
    };
    return view;
  }

  app.get('/my/profile', async (req, reply) => {
    const resident = await requireResident(req, reply);
    if (!resident) return reply;
    const saved = (req.query as { saved?: string }).saved === '1';
    const view = await profileView(req, resident, { email: resident.email ?? '', phone: resident.phone ?? '' }, {}, saved);
    return reply.page(<ProfilePage ctx={req.viewContext()} view={view} />);
  });

  app.post('/my/profile', async (req, reply) => {
    const resident = await requireResident(req, reply);
    if (!resident) return reply;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = { email: typeof body.email === 'string' ? body.email : '', phone: typeof body.phone === 'string' ? body.phone : '' };
    const result = validateContact(input);
    if ('errors' in result) {
      const view = await profileView(req, resident, input, result.errors, false);
      return reply.page(<ProfilePage ctx={req.viewContext()} view={view} />, 400);
    }
    await saveContact(req.tdb, resident.id, result.value);
    return reply.redirect('/my/profile?saved=1', 303);
  });
}
