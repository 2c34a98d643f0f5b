/**
 * The built-in test e-ID provider, mounted at /test-idp inside the app (demo mode only). Its
 * protocol endpoints are oidc-provider's own, handed the raw request; its login page is ours.
 * Everything under /test-idp is tenantless: the provider stands for a national e-ID, not for a
 * municipality.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Interaction, Provider } from 'oidc-provider';
import { translator } from '../../../kernel/i18n/index.ts';
import { renderDocument } from '../../../kernel/html/render.ts';
import { createTestProvider, idpLocale, type TestProviderOptions } from './provider.ts';
import { displayPin, LOA3, TEST_IDP_PATH, type TestIdentity, type TestIdpClient } from './clients.ts';
import { IdpErrorPage, LoginPage, TEST_IDP_CSS_PATH } from './views.tsx';

export {
  TEST_IDP_PATH,
  SWEDISH_PIN_CLAIM,
  LOA3,
  testIdpIssuer,
  testIdpClientId,
  testIdpClientSecret,
  testIdpClients,
  testIdentitiesFrom,
  tenantOrigins,
  type TestIdentity,
  type TestIdpClient,
} from './clients.ts';

export type TestIdpOptions = Omit<TestProviderOptions, 'log'>;

const css = readFileSync(new URL('./test-idp.css', import.meta.url), 'utf8');
const routeConfig = { tenantless: true, csrf: false };

/** The provider's own pages may send the browser on to every registered relying party. */
function contentSecurityPolicy(clients: TestIdpClient[]): string {
  const origins = new Set<string>();
  for (const c of clients) for (const uri of [...c.redirect_uris, ...c.post_logout_redirect_uris]) origins.add(new URL(uri).origin);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `form-action 'self' ${[...origins].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Mounts the test e-ID provider on app. Register it only in demo mode. */
export async function testIdpPlugin(app: FastifyInstance, opts: TestIdpOptions): Promise<void> {
  const provider: Provider = await createTestProvider({ ...opts, log: app.log });
  const handle = provider.callback();
  const csp = contentSecurityPolicy(opts.clients);
  const identities = new Map(opts.identities.map((i) => [i.sub, i]));
  const clientNames = new Map(opts.clients.map((c) => [c.client_id, c.client_name]));

  app.get(TEST_IDP_CSS_PATH, { config: routeConfig }, async (_req, reply) =>
    reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
  );

  // Our own login interaction (login, then consent granted automatically for our own clients).
  await app.register(async (pages) => {
    const sendPage = (reply: FastifyReply, body: string, status = 200) =>
      reply.code(status).header('content-security-policy', csp).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

    const errorPage = (req: FastifyRequest, reply: FastifyReply, code: string, status = 400) => {
      const locale = idpLocale((req.query as { lang?: string }).lang, undefined, req.headers['accept-language']);
      return sendPage(reply, renderDocument(IdpErrorPage({ locale, t: translator(locale), code })), status);
    };

    /** The interaction this browser is in, or undefined (and an error page sent) when it has none. */
    async function interactionOf(req: FastifyRequest, reply: FastifyReply): Promise<Interaction | undefined> {
      try {
        const interaction = await provider.interactionDetails(req.raw, reply.raw);
        if (interaction.uid === (req.params as { uid: string }).uid) return interaction;
      } catch {
        // Expired or unknown interaction: fall through to the error page.
      }
      errorPage(req, reply, 'invalid_request');
      return undefined;
    }

    function renderLogin(req: FastifyRequest, reply: FastifyReply, interaction: Interaction, choice: unknown, error: boolean) {
      const locale = idpLocale(choice, interaction.params.ui_locales, req.headers['accept-language']);
      const base = `${TEST_IDP_PATH}/interaction/${interaction.uid}`;
      const page = LoginPage({
        locale,
        t: translator(locale),
        clientName: clientNames.get(String(interaction.params.client_id)) ?? String(interaction.params.client_id),
        action: `${base}/login`,
        abortAction: `${base}/abort`,
        otherLanguageHref: `${base}?lang=${locale === 'sv' ? 'en' : 'sv'}`,
        people: opts.identities.map((i: TestIdentity) => ({
          sub: i.sub,
          name: `${i.givenName} ${i.familyName}`,
          personalNumber: displayPin(i.personalNumber),
          city: i.city,
        })),
        error,
      });
      return sendPage(reply, renderDocument(page), error ? 400 : 200);
    }

    async function finish(req: FastifyRequest, reply: FastifyReply, result: Record<string, unknown>, merge: boolean) {
      reply.hijack();
      await provider.interactionFinished(req.raw, reply.raw, result, { mergeWithLastSubmission: merge });
    }

    pages.get(`${TEST_IDP_PATH}/interaction/:uid`, { config: routeConfig }, async (req, reply) => {
      const interaction = await interactionOf(req, reply);
      if (!interaction) return reply;
      const { prompt, params, session } = interaction;
      if (prompt.name === 'login') return renderLogin(req, reply, interaction, (req.query as { lang?: string }).lang, false);
      if (prompt.name === 'consent' && session?.accountId) {
        // Medborg's own clients: consent is implied by the municipality's use of the e-ID.
        const grant = interaction.grantId
          ? ((await provider.Grant.find(interaction.grantId)) ?? new provider.Grant({ accountId: session.accountId, clientId: String(params.client_id) }))
          : new provider.Grant({ accountId: session.accountId, clientId: String(params.client_id) });
        const d = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
        if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
        if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
        for (const [resource, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
        await finish(req, reply, { consent: { grantId: await grant.save() } }, true);
        return reply;
      }
      return errorPage(req, reply, 'interaction_required');
    });

    pages.post(`${TEST_IDP_PATH}/interaction/:uid/login`, { config: routeConfig }, async (req, reply) => {
      const interaction = await interactionOf(req, reply);
      if (!interaction) return reply;
      const body = (req.body ?? {}) as { person?: unknown; lang?: unknown };
      const person = typeof body.person === 'string' ? identities.get(body.person) : undefined;
      if (!person || interaction.prompt.name !== 'login') return renderLogin(req, reply, interaction, body.lang, true);
      await finish(req, reply, { login: { accountId: person.sub, acr: LOA3, remember: false } }, false);
      return reply;
    });

    pages.post(`${TEST_IDP_PATH}/interaction/:uid/abort`, { config: routeConfig }, async (req, reply) => {
      const interaction = await interactionOf(req, reply);
      if (!interaction) return reply;
      await finish(req, reply, { error: 'access_denied', error_description: 'End-User aborted interaction' }, false);
      return reply;
    });
  });

  // Everything else under /test-idp is the provider's: discovery, JWKS, authorize, token,
  // userinfo, end session. It reads the request body itself, so nothing here may parse it.
  await app.register(async (protocol) => {
    protocol.removeAllContentTypeParsers();
    protocol.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const forward = async (req: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      reply.raw.setHeader('content-security-policy', csp);
      const raw = req.raw as IncomingMessage & { originalUrl?: string };
      // oidc-provider's documented way to be mounted under a prefix: keep originalUrl, strip url.
      raw.originalUrl = raw.url;
      raw.url = raw.url!.slice(TEST_IDP_PATH.length) || '/';
      await new Promise<void>((resolve) => {
        reply.raw.once('close', resolve);
        reply.raw.once('finish', resolve);
        handle(raw, reply.raw);
      });
    };
    const methods: ('GET' | 'POST' | 'OPTIONS')[] = ['GET', 'POST', 'OPTIONS'];
    // Not logged per request: protocol URLs carry tokens (end_session's id_token_hint is an ID
    // token, whose payload holds the identity number). Failures are still logged, as warnings.
    const quiet = { config: routeConfig, logLevel: 'warn' as const, handler: forward };
    protocol.route({ method: methods, url: TEST_IDP_PATH, ...quiet });
    protocol.route({ method: methods, url: `${TEST_IDP_PATH}/*`, ...quiet });
  });
}
