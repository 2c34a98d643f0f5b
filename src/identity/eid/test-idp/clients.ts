/**
 * Who the built-in test e-ID provider knows: one client per tenant (Medborg signing residents in
 * to that municipality) and the test identities, which are the adults of the demo population
 * register. Both sides (provider and relying party) derive the client secret the same way.
 */
import { createHmac } from 'node:crypto';
import type { Config } from '../../../kernel/config.ts';
import type { Tenant } from '../../../kernel/tenants.ts';
import { formatPersonalNumber, type DemoPerson } from '../../../integrations/population-register/index.ts';

/** Where the provider is mounted; its issuer is `${baseUrl}${TEST_IDP_PATH}`. */
export const TEST_IDP_PATH = '/test-idp';
export const SWEDISH_PIN_CLAIM = 'https://id.oidc.se/claim/personalIdentityNumber';
/** Swedish assurance level 3 (tillitsnivå 3), what BankID and Freja eID+ give. */
export const LOA3 = 'http://id.elegnamnden.se/loa/1.0/loa3';
export const SCOPE_NATURAL_PERSON_NUMBER = 'https://id.oidc.se/scope/naturalPersonNumber';
export const SCOPE_NATURAL_PERSON_INFO = 'https://id.oidc.se/scope/naturalPersonInfo';

export interface TestIdpClient {
  client_id: string;
  client_secret: string;
  client_name: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
}

export interface TestIdentity {
  /** Opaque subject identifier (not the identity number: subjects end up in tokens and logs). */
  sub: string;
  givenName: string;
  familyName: string;
  /** Twelve digits; undefined for an identity that carries none (to test refusal). */
  personalNumber: string | undefined;
  city: string;
}

export function testIdpIssuer(config: Config): string {
  return `${config.baseUrl}${TEST_IDP_PATH}`;
}

export function testIdpClientId(tenantId: string): string {
  return `medborg-${tenantId}`;
}

/** The client secret, derived from SESSION_SECRET so nothing extra needs configuring in demo mode. */
export function testIdpClientSecret(sessionSecret: string, tenantId: string): string {
  return createHmac('sha256', sessionSecret).update(`medborg test-idp client ${tenantId}`).digest('base64url');
}

/** The origins a tenant's site is reached at: each host on the public port, and the base URL. */
export function tenantOrigins(config: Config, tenant: Tenant): string[] {
  const base = new URL(config.baseUrl);
  const ports = new Set([base.port, String(config.port)]);
  const origins = new Set<string>();
  for (const host of tenant.hosts) {
    for (const port of ports) origins.add(new URL(`${base.protocol}//${host}${port ? `:${port}` : ''}`).origin);
  }
  origins.add(base.origin);
  return [...origins];
}

export function testIdpClients(config: Config, tenants: readonly Tenant[]): TestIdpClient[] {
  return tenants.map((tenant) => {
    const origins = tenantOrigins(config, tenant);
    return {
      client_id: testIdpClientId(tenant.id),
      client_secret: testIdpClientSecret(config.sessionSecret, tenant.id),
      client_name: `Medborg – ${tenant.name.sv}`,
      redirect_uris: origins.map((o) => `${o}/sign-in/callback`),
      post_logout_redirect_uris: origins.map((o) => `${o}/signed-out`),
    };
  });
}

/** A stable, opaque subject for a test person. */
export function testSubject(secret: string, personalNumber: string): string {
  return createHmac('sha256', secret).update(`medborg test-idp subject ${personalNumber}`).digest('hex').slice(0, 32);
}

/** The adults of the demo population register, as test e-ID identities. */
export function testIdentitiesFrom(people: readonly DemoPerson[], secret: string): TestIdentity[] {
  return people.map((p) => ({
    sub: testSubject(secret, p.personalNumber),
    givenName: p.givenName,
    familyName: p.familyName,
    personalNumber: p.personalNumber,
    city: p.address.city,
  }));
}

export function displayPin(personalNumber: string | undefined): string | undefined {
  return personalNumber ? formatPersonalNumber(personalNumber) : undefined;
}
