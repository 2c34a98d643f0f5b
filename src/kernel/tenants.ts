/**
 * Tenants: the municipalities one installation serves, configured in one YAML file.
 * A request's tenant comes from its Host header; with a single tenant, every host maps to it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import YAML from 'yaml';
import { ConfigError } from './config.ts';
import { TENANT_ID_PATTERN } from './db/index.ts';

export interface Localised {
  sv: string;
  en: string;
}

export interface Department {
  id: string;
  name: Localised;
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
  departments: Department[];
  contact: { email: string; phone: string; address: string };
  eid?: { issuer: string; clientId: string; clientSecret?: string };
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

const schema = {
  type: 'object',
  required: ['tenants'],
  additionalProperties: false,
  properties: {
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
              properties: { id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' }, name: localised },
            },
          },
          contact: {
            type: 'object',
            required: ['email', 'phone', 'address'],
            additionalProperties: false,
            properties: { email: { type: 'string' }, phone: { type: 'string' }, address: { type: 'string' } },
          },
          eid: {
            type: 'object',
            required: ['issuer', 'clientId'],
            additionalProperties: false,
            properties: { issuer: { type: 'string' }, clientId: { type: 'string' }, clientSecret: { type: 'string' } },
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

/** Reads and validates the tenants file; throws TenantsFileError naming the file and the problem. */
export function loadTenants(file: string): TenantRegistry {
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
  const validate = new Ajv({ allErrors: false }).compile(schema);
  if (!validate(raw)) {
    const e = validate.errors![0]!;
    throw new TenantsFileError(file, `${e.instancePath || '/'} ${e.message}`);
  }
  // Checked here rather than with a schema format: "must match format uri" would also let
  // urn:… through, and the relying party can only discover an http(s) issuer.
  for (const [i, t] of (raw as { tenants: Tenant[] }).tenants.entries()) {
    if (t.eid && !isHttpUrl(t.eid.issuer)) {
      throw new TenantsFileError(file, `/tenants/${i}/eid/issuer must be an absolute http(s) URL, got "${t.eid.issuer}"`);
    }
  }
  const base = path.dirname(file);
  const tenants: Tenant[] = (raw as { tenants: Tenant[] }).tenants.map((t) => ({
    ...t,
    hosts: t.hosts.map((h) => h.toLowerCase()),
    theme: { ...DEFAULT_THEME, ...t.theme },
    catalogue: path.resolve(base, t.catalogue),
    logo: t.logo ? path.resolve(base, t.logo) : undefined,
  }));
  const seen = new Set<string>();
  for (const t of tenants) {
    if (seen.has(t.id)) throw new TenantsFileError(file, `tenant id "${t.id}" appears twice`);
    seen.add(t.id);
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
