/**
 * The built-in test e-ID provider: a real OpenID Connect provider (oidc-provider) speaking the
 * Swedish OIDC profile (oidc.se), so that demo mode and the tests run the same protocol as a real
 * e-ID broker: discovery, authorization code with PKCE, signed ID tokens, RP-initiated logout.
 */
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Provider, ProviderContext } from 'oidc-provider';
import { negotiateLocale, isLocale, translator, type Locale } from '../../../kernel/i18n/index.ts';
import { renderDocument } from '../../../kernel/html/render.ts';
import { maskPins } from '../../../kernel/log.ts';
import { memoryAdapterFactory } from './memory-adapter.ts';
import {
  LOA3,
  SCOPE_NATURAL_PERSON_INFO,
  SCOPE_NATURAL_PERSON_NUMBER,
  SWEDISH_PIN_CLAIM,
  TEST_IDP_PATH,
  type TestIdentity,
  type TestIdpClient,
} from './clients.ts';
import { IdpErrorPage, LoggedOutPage, LogoutPage } from './views.tsx';
import './messages.ts';

export interface TestProviderOptions {
  issuer: string;
  clients: TestIdpClient[];
  identities: TestIdentity[];
  /** Secret the provider's cookie keys are derived from. */
  secret: string;
  /** Where the provider reports its own failures; messages are already free of identity numbers. */
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** The page language: an explicit choice, then the relying party's ui_locales, then the browser's. */
export function idpLocale(choice: unknown, uiLocales: unknown, acceptLanguage: string | undefined): Locale {
  if (isLocale(choice)) return choice;
  if (typeof uiLocales === 'string') {
    for (const tag of uiLocales.split(' ')) {
      const l = tag.slice(0, 2).toLowerCase();
      if (isLocale(l)) return l;
    }
  }
  return negotiateLocale(acceptLanguage);
}

function contextLocale(ctx: ProviderContext): Locale {
  return idpLocale(undefined, ctx.oidc?.params?.ui_locales, ctx.get('accept-language'));
}

function html(ctx: ProviderContext, body: string): void {
  ctx.type = 'html';
  ctx.body = body;
}

/**
 * The process's RSA signing key, made on first use: demo keys live only as long as the process.
 * One per process, not per provider: a 2048-bit key takes a tenth of a second or more to make, and
 * a test process builds the application many times. Sharing it between the municipalities' test
 * providers gives nothing away: a token names its issuer and client, which the relying party checks,
 * and the test e-ID lets anyone sign in as any test identity anyway.
 */
let processKey: Record<string, unknown> | undefined;
function signingJwks(): { keys: Record<string, unknown>[] } {
  if (!processKey) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    processKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  }
  return { keys: [{ ...processKey }] };
}

const ttl = {
  AccessToken: 600,
  AuthorizationCode: 60,
  IdToken: 3600,
  Interaction: 600,
  Session: 3600,
  Grant: 3600,
  RefreshToken: 3600,
  ClientCredentials: 600,
  DeviceCode: 600,
  BackchannelAuthenticationRequest: 600,
  PreAuthorizedCode: 600,
};

export async function createTestProvider(opts: TestProviderOptions): Promise<Provider> {
  // Loaded only in demo mode: a production server never loads the provider at all.
  const { default: ProviderClass } = await import('oidc-provider');
  const identities = new Map(opts.identities.map((i) => [i.sub, i]));
  const cookieKey = createHmac('sha256', opts.secret).update('medborg test-idp cookies').digest('base64url');

  const provider = new ProviderClass(opts.issuer, {
    adapter: memoryAdapterFactory(),
    clients: opts.clients.map((c) => ({
      ...c,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
      // The Swedish profile always states the assurance level (acr) in the ID token.
      default_acr_values: [LOA3],
    })),
    jwks: signingJwks(),
    cookies: {
      keys: [cookieKey],
      names: { session: 'test_idp_session', interaction: 'test_idp_interaction', resume: 'test_idp_resume' },
      // SameSite=Lax, as oidc-provider 9 sets by default (8 sends None, which browsers drop without Secure: plain-http demos). ADR 0025.
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    scopes: ['openid', 'profile', SCOPE_NATURAL_PERSON_NUMBER, SCOPE_NATURAL_PERSON_INFO],
    claims: {
      acr: null,
      auth_time: null,
      sid: null,
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name'],
      [SCOPE_NATURAL_PERSON_NUMBER]: [SWEDISH_PIN_CLAIM],
      [SCOPE_NATURAL_PERSON_INFO]: ['name', 'given_name', 'family_name'],
    },
    // The Swedish profile delivers identity claims in the ID token; the relying party needs no userinfo call.
    conformIdTokenClaims: false,
    acrValues: [LOA3],
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientBasedCORS: () => false,
    ttl,
    async findAccount(_ctx: ProviderContext, sub: string) {
      const person = identities.get(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            given_name: person.givenName,
            family_name: person.familyName,
            name: `${person.givenName} ${person.familyName}`,
            ...(person.personalNumber ? { [SWEDISH_PIN_CLAIM]: person.personalNumber } : {}),
          };
        },
      };
    },
    interactions: {
      url: (_ctx: ProviderContext, interaction: { uid: string }) => `${TEST_IDP_PATH}/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: ProviderContext) {
          const locale = contextLocale(ctx);
          const xsrf = ctx.oidc.session?.state?.secret ?? '';
          html(ctx, renderDocument(LogoutPage({ locale, t: translator(locale), action: ctx.oidc.urlFor('end_session_confirm'), xsrf })));
        },
        async postLogoutSuccessSource(ctx: ProviderContext) {
          const locale = contextLocale(ctx);
          html(ctx, renderDocument(LoggedOutPage({ locale, t: translator(locale) })));
        },
      },
    },
    async renderError(ctx: ProviderContext, out: { error?: string }) {
      const locale = contextLocale(ctx);
      html(ctx, renderDocument(IdpErrorPage({ locale, t: translator(locale), code: String(out.error ?? 'server_error') })));
    },
  });
  // The app trusts its proxy for X-Forwarded-Proto; so does the provider it hosts.
  provider.proxy = true;
  const describe = (err: unknown) => {
    const e = err as { name?: string; message?: string; error_description?: string };
    return { name: e?.name, reason: maskPins(String(e?.error_description ?? e?.message ?? err)) };
  };
  provider.on('server_error', (_ctx: never, err: never) => opts.log.error(describe(err), 'test e-ID provider error'));
  // Koa prints unhandled errors to stderr unless someone listens.
  provider.on('error', (err: never) => opts.log.warn(describe(err), 'test e-ID provider request failed'));
  return provider;
}
