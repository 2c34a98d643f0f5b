/**
 * Tenants: the municipalities one installation serves, configured in one YAML file.
 * A request's tenant comes from its Host header; with a single tenant, every host maps to it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import YAML from 'yaml';
import { ConfigError, isMailbox, type Config } from './config.ts';
import { TENANT_ID_PATTERN } from './db/index.ts';

export interface Localised {
  sv: string;
  en: string;
}

export interface Department {
  id: string;
  name: Localised;
  /**
   * The committee (nämnd) the department works for, as said mid-sentence ("socialnämnden", "the
   * Social Welfare Committee"): who a service of the department decides as, unless the service names
   * its own `decider`. Appeal texts say it with {decider} (ADR 0032).
   */
  committee?: Localised;
}

export interface Tenant {
  id: string;
  name: Localised;
  hosts: string[];
  /** Short code used in case references, e.g. "NBY". */
  code: string;
  logo?: string;
  theme: { primary: string; primaryText: string; accent: string };
  catalogue: string;
  /**
   * The shared catalogue folder (the tenants file's top-level `sharedCatalogue`, the same for every
   * tenant): definitions written once, offered and overridden by each municipality's services.yaml.
   */
  sharedCatalogue?: string;
  departments: Department[];
  contact: { email: string; phone: string; address: string };
  /**
   * E-mail goes out in the municipality's name (ADR 0021): the sender's name (default: the
   * municipality's Swedish name) and address (default: the address of SMTP_FROM). The signature
   * is made from `name` and `contact`.
   */
  mail?: { fromName?: string; fromAddress?: string };
  eid?: { issuer: string; clientId: string; clientSecret?: string };
  /**
   * Staff sign-in through this municipality's own identity provider (e.g. its Entra ID), beside
   * password and TOTP. Absent: staff of this tenant sign in with password and TOTP only; there is
   * no installation-wide provider, so one provider login never reaches another municipality.
   */
  staffOidc?: StaffOidcSettings;
  // --- registers (eng-reg) ---
  /**
   * Register adapters for this municipality by kind ("demo", an adapter's name, or "none"),
   * overriding the installation's POPULATION_REGISTER, BUSINESS_REGISTER, … settings.
   */
  registers?: Partial<Record<'population' | 'business' | 'property' | 'vehicle' | 'representation', string>>;
  // --- end eng-reg ---
}

export interface StaffOidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** Demand that the provider says it used more than one factor (amr contains "mfa"); true unless the file says false. */
  requireMfa: boolean;
}

export interface TenantRegistry {
  all: readonly Tenant[];
  byId(id: string): Tenant | undefined;
  /** The tenant a Host header names, or undefined when no tenant claims it. */
  forHost(host: string | undefined): Tenant | undefined;
}

const localised = {
  type: 'object',
  required: ['sv', 'en'],
  additionalProperties: false,
  properties: { sv: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
};
const colour = { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' };

/** The tenants file's JSON Schema (exported for test/no-service-names.test.ts: its words are the file format's). */
export const tenantsFileSchema = {
  type: 'object',
  required: ['tenants'],
  additionalProperties: false,
  properties: {
    sharedCatalogue: { type: 'string', minLength: 1 },
    tenants: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'name', 'hosts', 'code', 'catalogue', 'departments', 'contact'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: TENANT_ID_PATTERN.source },
          name: localised,
          hosts: { type: 'array', items: { type: 'string', minLength: 1 } },
          code: { type: 'string', pattern: '^[A-Z]{2,5}$' },
          logo: { type: 'string' },
          theme: {
            type: 'object',
            additionalProperties: false,
            properties: { primary: colour, primaryText: colour, accent: colour },
          },
          catalogue: { type: 'string' },
          departments: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['id', 'name'],
              additionalProperties: false,
              properties: { id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' }, name: localised, committee: localised },
            },
          },
          contact: {
            type: 'object',
            required: ['email', 'phone', 'address'],
            additionalProperties: false,
            properties: { email: { type: 'string' }, phone: { type: 'string' }, address: { type: 'string' } },
          },
          mail: {
            type: 'object',
            additionalProperties: false,
            properties: {
              // A display name only: nothing that would end the header's phrase or start another address.
              fromName: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^<>"\\\\,;:@\\r\\n\\t]+$' },
              fromAddress: { type: 'string', minLength: 3, maxLength: 254 },
            },
          },
          eid: {
            type: 'object',
            required: ['issuer', 'clientId'],
            additionalProperties: false,
            properties: { issuer: { type: 'string' }, clientId: { type: 'string' }, clientSecret: { type: 'string' } },
          },
          // --- registers (eng-reg) ---
          registers: {
            type: 'object',
            additionalProperties: false,
            properties: Object.fromEntries(['population', 'business', 'property', 'vehicle', 'representation'].map((k) => [k, { type: 'string', pattern: '^[a-z][a-z0-9-]*$' }])),
          },
          // --- end eng-reg ---
          staffOidc: {
            type: 'object',
            required: ['issuer', 'clientId'],
            additionalProperties: false,
            properties: {
              issuer: { type: 'string' },
              clientId: { type: 'string', minLength: 1 },
              clientSecret: { type: 'string' },
              requireMfa: { type: 'boolean' },
            },
          },
        },
      },
    },
  },
} as const;

const DEFAULT_THEME = { primary: '#1e4f7a', primaryText: '#ffffff', accent: '#f2f6fa' };

/**
 * A bad tenants file is a configuration error of MEDBORG_TENANTS: the message names the variable
 * as well as the file, since the operator who sees it may not know which setting chose the file.
 */
export class TenantsFileError extends ConfigError {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super('MEDBORG_TENANTS', `${file}: ${reason}`);
    this.name = 'TenantsFileError';
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Logo types the page header and the browser icon can serve (kernel/html/assets.ts). */
export const LOGO_TYPES: Readonly<Record<string, string>> = { '.svg': 'image/svg+xml', '.png': 'image/png' };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Why a tenant's logo cannot be served, or undefined when it can: it exists, and is what its name says. */
function logoProblem(logo: string): string | undefined {
  const ext = path.extname(logo).toLowerCase();
  if (!LOGO_TYPES[ext]) return `must be an .svg or .png file, got "${logo}"`;
  let body: Buffer;
  try {
    body = readFileSync(logo);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `no such file "${logo}"` : `cannot read "${logo}": ${(err as Error).message}`;
  }
  const ok = ext === '.png' ? body.subarray(0, 8).equals(PNG_SIGNATURE) : /<svg[\s>]/i.test(body.subarray(0, 4096).toString('utf8'));
  return ok ? undefined : `"${logo}" is not ${ext === '.png' ? 'a PNG image' : 'an SVG image'}`;
}

/**
 * What the tenants file is checked against besides itself: in production every tenant needs an
 * e-ID client (its own, or the OIDC_* one) and an https issuer.
 */
export type TenantsCheckConfig = Pick<Config, 'env'> & { oidc: Pick<Config['oidc'], 'issuer'> };

/**
 * Reads and validates the tenants file; throws TenantsFileError naming the file and the problem.
 * With `config`, production's demands are checked as well (start-up passes it; tools that only
 * read the catalogue need not).
 */
export function loadTenants(file: string, config?: TenantsCheckConfig): TenantRegistry {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new TenantsFileError(file, missing ? 'no such tenants file' : `cannot read the tenants file: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (err) {
    throw new TenantsFileError(file, `not valid YAML: ${(err as Error).message}`);
  }
  const validate = new Ajv({ allErrors: false }).compile(tenantsFileSchema);
  if (!validate(raw)) {
    const e = validate.errors![0]!;
    throw new TenantsFileError(file, `${e.instancePath || '/'} ${e.message}`);
  }
  // Checked here rather than with a schema format: "must match format uri" would also let
  // urn:… through, and the relying party can only discover an http(s) issuer.
  const production = config?.env === 'production';
  for (const [i, t] of (raw as { tenants: Tenant[] }).tenants.entries()) {
    if (t.eid && !isHttpUrl(t.eid.issuer)) {
      throw new TenantsFileError(file, `/tenants/${i}/eid/issuer must be an absolute http(s) URL, got "${t.eid.issuer}"`);
    }
    // The ID token carries the identity number: the relying party refuses plain HTTP in production
    // anyway (relying-party.ts), but only at a resident's first sign-in.
    if (production && t.eid && !t.eid.issuer.startsWith('https://')) {
      throw new TenantsFileError(file, `/tenants/${i}/eid/issuer of tenant "${t.id}" must be an https:// URL in production, got "${t.eid.issuer}"`);
    }
    if (t.staffOidc && !isHttpUrl(t.staffOidc.issuer)) {
      throw new TenantsFileError(file, `/tenants/${i}/staffOidc/issuer must be an absolute http(s) URL, got "${t.staffOidc.issuer}"`);
    }
    // The ID token decides who gets a staff session: never over plain HTTP in production.
    if (production && t.staffOidc && !t.staffOidc.issuer.startsWith('https://')) {
      throw new TenantsFileError(file, `/tenants/${i}/staffOidc/issuer of tenant "${t.id}" must be an https:// URL in production, got "${t.staffOidc.issuer}"`);
    }
    if (production && !t.eid && !config.oidc.issuer) {
      throw new TenantsFileError(file, `tenant "${t.id}" has no e-ID client: give it an eid entry (/tenants/${i}/eid) or set OIDC_ISSUER and OIDC_CLIENT_ID`);
    }
    if (t.mail?.fromAddress !== undefined && !isMailbox(t.mail.fromAddress)) {
      throw new TenantsFileError(file, `/tenants/${i}/mail/fromAddress of tenant "${t.id}" must be one e-mail address such as no-reply@e.norrby.se, got "${t.mail.fromAddress}"`);
    }
    // No mail server accepts a .localhost sender: the demo's addresses must not reach production.
    if (production && t.mail?.fromAddress && /[@.]localhost$/i.test(t.mail.fromAddress)) {
      throw new TenantsFileError(file, `/tenants/${i}/mail/fromAddress of tenant "${t.id}" must be an address of a real mail domain in production, got "${t.mail.fromAddress}"`);
    }
    if (t.hosts.length === 0) throw new TenantsFileError(file, `/tenants/${i}/hosts of tenant "${t.id}" lists no host name`);
  }
  const base = path.dirname(file);
  const sharedCatalogue = (raw as { sharedCatalogue?: string }).sharedCatalogue;
  const tenants: Tenant[] = (raw as { tenants: (Omit<Tenant, 'staffOidc'> & { staffOidc?: Omit<StaffOidcSettings, 'requireMfa'> & { requireMfa?: boolean } })[] }).tenants.map((t) => ({
    ...t,
    staffOidc: t.staffOidc ? { ...t.staffOidc, requireMfa: t.staffOidc.requireMfa ?? true } : undefined,
    hosts: t.hosts.map((h) => h.toLowerCase()),
    theme: { ...DEFAULT_THEME, ...t.theme },
    catalogue: path.resolve(base, t.catalogue),
    ...(sharedCatalogue ? { sharedCatalogue: path.resolve(base, sharedCatalogue) } : {}),
    logo: t.logo ? path.resolve(base, t.logo) : undefined,
  }));
  const seen = new Set<string>();
  // One host, one tenant: otherwise a request's tenant would depend on the order of the file.
  const hostOwner = new Map<string, string>();
  for (const [i, t] of tenants.entries()) {
    if (seen.has(t.id)) throw new TenantsFileError(file, `tenant id "${t.id}" appears twice`);
    seen.add(t.id);
    for (const h of t.hosts) {
      const owner = hostOwner.get(h);
      if (owner !== undefined && owner !== t.id) throw new TenantsFileError(file, `host "${h}" is listed under both tenant "${owner}" and tenant "${t.id}"`);
      hostOwner.set(h, t.id);
    }
    // Checked here, so a bad logo stops start-up with the file and the tenant, not with a stack trace when the assets are built.
    const problem = t.logo ? logoProblem(t.logo) : undefined;
    if (problem) throw new TenantsFileError(file, `/tenants/${i}/logo of tenant "${t.id}": ${problem}`);
  }
  return tenantRegistry(tenants);
}

export function tenantRegistry(tenants: Tenant[]): TenantRegistry {
  const byHost = new Map<string, Tenant>();
  for (const t of tenants) for (const h of t.hosts) byHost.set(h, t);
  const byId = new Map(tenants.map((t) => [t.id, t]));
  return {
    all: tenants,
    byId: (id) => byId.get(id),
    forHost(host) {
      if (tenants.length === 1) return tenants[0];
      if (!host) return undefined;
      const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
      return byHost.get(name);
    },
  };
}
