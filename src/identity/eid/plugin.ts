/**
 * The e-ID module as one Fastify plugin: the population register it reads addresses from, the
 * built-in test e-ID provider (demo mode only), and the sign-in routes.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../kernel/config.ts';
import type { TenantRegistry } from '../../kernel/tenants.ts';
import { loadDemoRegisterData, populationRegisterPlugin } from '../../integrations/population-register/index.ts';
import { RelyingParty } from './relying-party.ts';
import { eidRoutes } from './routes.tsx';
import { testIdpPlugin } from './test-idp/index.ts';
import { testIdentitiesFrom, testIdpClients, testIdpIssuer } from './test-idp/clients.ts';

async function eid(app: FastifyInstance): Promise<void> {
  const config = app.appConfig;
  if (!app.hasDecorator('populationRegister')) await app.register(populationRegisterPlugin);
  if (app.demo) {
    await app.register(testIdpPlugin, {
      issuer: testIdpIssuer(config),
      clients: testIdpClients(config, app.tenants.all),
      identities: testIdentitiesFrom(loadDemoRegisterData(), config.sessionSecret),
      secret: config.sessionSecret,
    });
  }
  const rp = new RelyingParty({ allowHttp: config.env !== 'production', pinClaim: config.oidc.pinClaim, acr: config.oidc.acr });
  await app.register(eidRoutes, { rp });
}

/** e-ID sign-in for residents; decorates nothing but the population register, which it registers if missing. */
export const eidPlugin = fp(eid, { name: 'medborg-eid', fastify: '5.x', dependencies: ['medborg-http-kernel'] });

/**
 * Origins the sign-out form may be redirected through (the e-ID providers' end-session
 * endpoints), for the CSP's form-action: browsers check it on redirects after a form POST.
 */
export function eidFormActionOrigins(config: Config, tenants: TenantRegistry, demo: boolean): string[] {
  const issuers = [config.oidc.issuer, ...tenants.all.map((t) => t.eid?.issuer), demo ? testIdpIssuer(config) : undefined];
  return [...new Set(issuers.filter((i): i is string => Boolean(i)).map((i) => new URL(i).origin))];
}
