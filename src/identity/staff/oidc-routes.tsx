/**
 * Staff sign-in through the municipality's own identity provider (STAFF_OIDC_*), beside password
 * and TOTP. The provider says who the person is; Medborg decides what they may do: the claim
 * named by STAFF_OIDC_USERNAME_CLAIM must match an existing, enabled staff account of the tenant
 * (accounts, roles and departments are still administered here, never created from a token), and
 * the provider must say it used more than one factor (amr "mfa") unless told otherwise. The code
 * flow is the e-ID's: PKCE, state, nonce and a verified ID token, over HTTP (identity/eid).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { limitAttempt, type AttemptLimit } from '../../kernel/http/index.ts';
import { EidUnavailableError, RelyingParty, SignInError, type EidClientSettings, type PendingSignIn } from '../eid/index.ts';
import type { StaffContext } from './accounts.ts';
import { completeSignIn } from './authentication.ts';
import { SIGN_IN_LIMITS } from './sign-in-routes.tsx';
import { findAccountByUsername } from './repository.ts';
import { normaliseUsername } from './validation.ts';
import { SignInPage } from './views/sign-in-pages.tsx';

export const STAFF_OIDC_START = '/staff/sign-in/oidc';
const CALLBACK = '/staff/sign-in/oidc/callback';
const PENDING_KEY = 'staffOidc';

export type StaffOidcFailure = 'failed' | 'no-account' | 'mfa' | 'unavailable';

export function registerStaffOidcRoutes(app: FastifyInstance, contextFor: (req: FastifyRequest) => StaffContext): void {
  const cfg = app.appConfig.staffOidc;
  if (!cfg) return;
  const settings: EidClientSettings = { issuer: cfg.issuer, clientId: cfg.clientId, clientSecret: cfg.clientSecret, source: 'config' };
  const rp = new RelyingParty({ allowHttp: app.appConfig.env !== 'production', pinClaim: cfg.usernameClaim, acr: undefined });
  const scope = 'openid profile email';
  // As for passwords (sign-in-routes.tsx): every start and callback counts per client address.
  const perIp: AttemptLimit = { ...SIGN_IN_LIMITS.perIp, name: 'staff-oidc-ip' };
  async function refuseIfExceeded(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    await limitAttempt(req, reply, perIp, req.ip);
  }

  const refuse = (req: FastifyRequest, reply: FastifyReply, failure: StaffOidcFailure, status: number) =>
    reply.page(<SignInPage ctx={req.viewContext()} username="" back="/staff" errors={[]} oidcFailure={failure} oidcAvailable />, status);

  app.get(STAFF_OIDC_START, async (req, reply) => {
    await refuseIfExceeded(req, reply);
    const session = await app.sessions.ensure(req, reply);
    if (session.kind === 'staff') return reply.redirect('/staff', 303);
    let started: { url: URL; pending: PendingSignIn };
    try {
      started = await rp.start(settings, { redirectUri: `${req.protocol}://${req.host}${CALLBACK}`, back: '/staff', locale: req.locale }, { scope, acr: undefined });
    } catch (err) {
      if (!(err instanceof EidUnavailableError)) throw err;
      req.log.warn({ reason: err.message }, 'staff identity provider unavailable');
      return refuse(req, reply, 'unavailable', 503);
    }
    await app.sessions.update(req, { data: { ...session.data, [PENDING_KEY]: started.pending } });
    return reply.redirect(started.url.href, 303);
  });

  app.get(CALLBACK, async (req, reply) => {
    await refuseIfExceeded(req, reply);
    const pending = req.session?.data[PENDING_KEY] as PendingSignIn | undefined;
    if (!req.session || !pending) return refuse(req, reply, 'failed', 400);
    // One use: a replayed callback finds nothing pending.
    const { [PENDING_KEY]: _used, ...rest } = req.session.data;
    await app.sessions.update(req, { data: rest });
    let claims: Record<string, unknown>;
    try {
      claims = (await rp.verifiedClaims(settings, pending, new URLSearchParams(req.url.split('?')[1] ?? ''), cfg.usernameClaim)).claims;
    } catch (err) {
      if (err instanceof EidUnavailableError) return refuse(req, reply, 'unavailable', 503);
      if (!(err instanceof SignInError)) throw err;
      req.log.warn({ reason: err.reason, detail: err.message }, 'staff OIDC sign-in refused');
      return refuse(req, reply, 'failed', 400);
    }
    const amr = Array.isArray(claims.amr) ? claims.amr.map(String) : [];
    if (cfg.requireMfa && !amr.includes('mfa')) {
      req.log.warn({ amr }, 'staff OIDC sign-in refused: the provider did not use more than one factor');
      return refuse(req, reply, 'mfa', 403);
    }
    const raw = claims[cfg.usernameClaim];
    const username = typeof raw === 'string' ? normaliseUsername(raw) : '';
    const account = username ? await findAccountByUsername(req.tdb, username) : undefined;
    if (!account || account.disabledAt) {
      req.log.warn({ claim: cfg.usernameClaim, found: Boolean(account), disabled: Boolean(account?.disabledAt) }, 'staff OIDC sign-in refused: no enabled account');
      return refuse(req, reply, 'no-account', 403);
    }
    await completeSignIn(contextFor(req), account);
    await app.sessions.start(req, reply, 'staff', account.id, { displayName: account.displayName, via: 'oidc' });
    return reply.redirect('/staff', 303);
  });
}
