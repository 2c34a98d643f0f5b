/**
 * Medborg as an OpenID Connect relying party (openid-client): discovery over HTTP, authorization
 * code flow with PKCE (S256), state and nonce checked, the ID token's signature verified against
 * the provider's published keys, the personal identity number read from the
 * configured claim, and the required assurance level enforced. It talks to the built-in test
 * provider exactly as to a real e-ID broker.
 */
import * as oidc from 'openid-client';
import { ASSURANCE_LEVELS, type Config } from '../../kernel/config.ts';
import type { Tenant } from '../../kernel/tenants.ts';
import { maskPins } from '../../kernel/log.ts';
import { parsePersonalNumber } from '../../integrations/population-register/index.ts';
import { SCOPE_NATURAL_PERSON_NUMBER, testIdpClientId, testIdpClientSecret, testIdpIssuer } from './test-idp/clients.ts';

/** OpenID scopes asked for: the Swedish profile's identity-number scope plus the standard profile. */
export const EID_SCOPE = `openid profile ${SCOPE_NATURAL_PERSON_NUMBER}`;

export interface EidClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  /** Where the settings came from: the tenant's own e-ID client, OIDC_* config, or the built-in test provider. */
  source: 'tenant' | 'config' | 'built-in';
}

/** The e-ID client a tenant signs residents in with: tenants.yaml, else OIDC_*, else (demo) the test provider. */
export function eidSettingsFor(tenant: Tenant, config: Config, demo: boolean): EidClientSettings | undefined {
  if (tenant.eid) return { issuer: tenant.eid.issuer, clientId: tenant.eid.clientId, clientSecret: tenant.eid.clientSecret, source: 'tenant' };
  if (config.oidc.issuer && config.oidc.clientId) {
    return { issuer: config.oidc.issuer, clientId: config.oidc.clientId, clientSecret: config.oidc.clientSecret, source: 'config' };
  }
  if (demo) {
    return {
      issuer: testIdpIssuer(config),
      clientId: testIdpClientId(tenant.id),
      clientSecret: testIdpClientSecret(config.sessionSecret, tenant.id),
      source: 'built-in',
    };
  }
  return undefined;
}

/**
 * Does the assurance level a provider reports meet the one demanded? A higher level does (loa4
 * for loa3; eIDAS substantial counts as loa3); a lower, an unknown or a missing one does not, and
 * a self-declared ("uncertified") level meets only a demand for an uncertified level.
 */
export function meetsAssurance(actual: string | undefined, required: string): boolean {
  const want = ASSURANCE_LEVELS.get(required);
  const got = actual === undefined ? undefined : ASSURANCE_LEVELS.get(actual);
  // A demand the table does not know is met only by exactly that level (config.ts refuses it for OIDC_ACR).
  if (!want) return actual === required;
  if (!got) return false;
  return got.rank >= want.rank && (got.certified || !want.certified);
}

export type SignInFailure = 'cancelled' | 'failed' | 'no-identity-number' | 'assurance' | 'expired';

/** A sign-in that must not go through; detail is for the log and never holds an identity number. */
export class SignInError extends Error {
  constructor(
    readonly reason: SignInFailure,
    detail: string,
  ) {
    super(maskPins(detail));
    this.name = 'SignInError';
  }
}

/** The e-ID provider cannot be reached (discovery failed) or is refused. */
export class EidUnavailableError extends Error {
  override name = 'EidUnavailableError';
}

/** What is kept in the anonymous session between the redirect to the provider and the callback. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  back: string;
  issuer: string;
  clientId: string;
}

export interface VerifiedIdentity {
  personalNumber: string;
  givenName: string;
  familyName: string;
  acr: string | undefined;
}

/**
 * A safe one-line description of an openid-client failure: name, code and message, and the
 * message of its cause (openid-client wraps the telling one). Only messages: an error's other
 * properties can hold the token's claims, identity number included.
 */
export function describeError(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string; error?: string; cause?: { message?: unknown } };
  const cause = typeof e?.cause?.message === 'string' ? `(${e.cause.message})` : undefined;
  return maskPins([e?.name, e?.code, e?.error, e?.message, cause].filter(Boolean).join(': ') || String(err));
}

const DISCOVERY_TTL_MS = 60 * 60_000;

export class RelyingParty {
  private readonly discovered = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

  constructor(
    private readonly opts: {
      /** Plain-HTTP issuers (the demo provider, tests) are refused in production. */
      allowHttp: boolean;
      pinClaim: string;
      /** The lowest assurance level accepted (meetsAssurance); undefined demands none (staff sign-in). */
      acr: string | undefined;
    },
  ) {}

  /** The provider's configuration, discovered over HTTP once an hour per issuer and client. */
  async configuration(s: EidClientSettings): Promise<oidc.Configuration> {
    const key = `${s.issuer} ${s.clientId}`;
    const now = Date.now();
    let entry = this.discovered.get(key);
    if (!entry || now - entry.at > DISCOVERY_TTL_MS) {
      const insecure = new URL(s.issuer).protocol === 'http:';
      if (insecure && !this.opts.allowHttp) throw new EidUnavailableError('an e-ID issuer over plain HTTP is refused in production');
      const config = oidc.discovery(
        new URL(s.issuer),
        s.clientId,
        s.clientSecret ? { client_secret: s.clientSecret } : undefined,
        s.clientSecret ? oidc.ClientSecretBasic(s.clientSecret) : oidc.None(),
        {
          // openid-client trusts TLS for tokens from the token endpoint and skips their signature;
          // we verify it anyway: over plain HTTP (demo) there is no TLS to trust, and the signed
          // ID token is the evidence of who signed in.
          execute: insecure ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] : [oidc.enableNonRepudiationChecks],
          timeout: 10,
        },
      );
      entry = { at: now, config };
      this.discovered.set(key, entry);
      config.catch(() => {
        if (this.discovered.get(key) === entry) this.discovered.delete(key);
      });
    }
    try {
      return await entry.config;
    } catch (err) {
      throw new EidUnavailableError(`discovery of the e-ID provider failed: ${describeError(err)}`);
    }
  }

  /** Builds the authorization request; the caller keeps `pending` in the session. */
  async start(
    s: EidClientSettings,
    req: { redirectUri: string; back: string; locale: string },
    /** Another provider's needs (staff sign-in): its scope, and no e-ID assurance level. */
    ask: { scope: string; acr: string | undefined } = { scope: EID_SCOPE, acr: this.opts.acr },
  ): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.configuration(s);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const pending: PendingSignIn = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier,
      redirectUri: req.redirectUri,
      back: req.back,
      issuer: s.issuer,
      clientId: s.clientId,
    };
    const params: Record<string, string> = {
      redirect_uri: req.redirectUri,
      response_type: 'code',
      scope: ask.scope,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      ui_locales: req.locale,
    };
    if (ask.acr) params.acr_values = ask.acr;
    return { url: oidc.buildAuthorizationUrl(config, params), pending };
  }

  /**
   * Completes the code flow from the callback's query: checks state, exchanges the code (with the
   * PKCE verifier) over HTTP, verifies the ID token's signature, issuer, audience and nonce, and
   * demands an identity number and the required assurance level. Throws SignInError otherwise.
   */
  async finish(s: EidClientSettings, pending: PendingSignIn, query: URLSearchParams): Promise<VerifiedIdentity> {
    const { claims } = await this.verifiedClaims(s, pending, query, this.opts.pinClaim);
    const raw = claims[this.opts.pinClaim];
    const personalNumber = parsePersonalNumber(raw);
    if (!personalNumber) {
      throw new SignInError('no-identity-number', raw === undefined ? `no ${this.opts.pinClaim} claim` : `${this.opts.pinClaim} is not a valid personal identity number`);
    }
    const acr = typeof claims.acr === 'string' ? claims.acr : undefined;
    if (this.opts.acr && !meetsAssurance(acr, this.opts.acr)) {
      throw new SignInError('assurance', `assurance level ${acr ?? 'none'} does not meet the required ${this.opts.acr}`);
    }
    const text = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 200) : '');
    const fullName = text(claims.name);
    const givenName = text(claims.given_name) || fullName.split(' ')[0] || '';
    const familyName = text(claims.family_name) || fullName.split(' ').slice(1).join(' ');
    return { personalNumber, givenName, familyName, acr };
  }

  /**
   * The code flow's common part: state, code exchange with PKCE, the ID token's signature,
   * issuer, audience and nonce; then the claims, from userinfo too when `wanted` is not in the
   * ID token. Throws SignInError.
   */
  async verifiedClaims(s: EidClientSettings, pending: PendingSignIn, query: URLSearchParams, wanted: string): Promise<{ claims: Record<string, unknown> }> {
    if (pending.issuer !== s.issuer || pending.clientId !== s.clientId) throw new SignInError('expired', 'the e-ID client changed during sign-in');
    const error = query.get('error');
    if (error) {
      if (query.get('state') !== pending.state) throw new SignInError('failed', 'error response with a wrong state');
      throw new SignInError(error === 'access_denied' ? 'cancelled' : 'failed', `the provider answered ${error}`);
    }
    const config = await this.configuration(s);
    const current = new URL(pending.redirectUri);
    current.search = query.toString();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw new SignInError('failed', describeError(err));
    }
    let claims: Record<string, unknown> = { ...tokens.claims() };
    if (claims[wanted] === undefined && config.serverMetadata().userinfo_endpoint) {
      // Some brokers put identity claims only in userinfo; the ID token's subject must match.
      try {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub));
        claims = { ...info, ...claims };
      } catch (err) {
        throw new SignInError('failed', `userinfo: ${describeError(err)}`);
      }
    }
    return { claims };
  }

  /**
   * Where to send the browser to end the provider's session too, or undefined when it has no
   * end_session_endpoint. The client is named by client_id, never by id_token_hint: the ID token
   * carries the personal identity number, and this URL lands in browser history and access logs.
   * RP-Initiated Logout 1.0 lets client_id stand in for the hint (with post_logout_redirect_uri);
   * the provider then asks the person to confirm, which it does anyway for a signed-in person.
   */
  async endSessionUrl(s: EidClientSettings, postLogoutRedirectUri: string): Promise<string | undefined> {
    const config = await this.configuration(s);
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(config, { client_id: s.clientId, post_logout_redirect_uri: postLogoutRedirectUri }).href;
  }
}
