/**
 * Configuration from the environment, validated once at start-up.
 * A bad value stops the process with a message that names the variable, never a stack trace.
 */
import path from 'node:path';
import { levels as pinoLevels } from 'pino';
import { LONG_WORK_TIMEOUTS, REQUEST_TIMEOUTS, type DatabaseTimeouts } from './db/types.ts';

export type Environment = 'development' | 'test' | 'production';

export interface Config {
  env: Environment;
  port: number;
  host: string;
  /** Public base URL without a trailing slash, e.g. https://e.norrby.se. */
  baseUrl: string;
  /** PostgreSQL connection string; absent means the embedded PGlite database in dataDir. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** PostgreSQL timeouts for requests and the background jobs: short, so a stalled database fails fast. */
  databaseTimeouts: DatabaseTimeouts;
  /** PostgreSQL timeouts for long work: migrations, `archive verify`, `seed demo`, the CLI's commands. */
  databaseLongTimeouts: DatabaseTimeouts;
  dataDir: string;
  /** The blob store by name (integrations/blob-store registry); "filesystem" keeps files under blobDir. */
  blobStore: string;
  blobDir: string;
  sessionSecret: string;
  sessionIdleMinutes: number;
  tenantsFile: string;
  logLevel: string;
  oidc: {
    issuer: string | undefined;
    clientId: string | undefined;
    clientSecret: string | undefined;
    /** Claim that carries the personal identity number (Swedish OIDC profile by default). */
    pinClaim: string;
    /**
     * The lowest assurance level (acr) a resident's e-ID sign-in may have: one of ASSURANCE_LEVELS;
     * a higher level is accepted too (relying-party.ts). Always set: loa3 unless OIDC_ACR says otherwise.
     */
    acr: string;
  };
  smtp: {
    host: string | undefined;
    port: number;
    user: string | undefined;
    password: string | undefined;
    from: string;
    secure: boolean;
  };
  draftRetentionDays: number;
  /** Population register adapter (e.g. "demo"); unset: the demo register in demo mode, otherwise none. */
  populationRegister: string | undefined;
  /** Virus scanner (e.g. "clamd"); unset: the demo scanner in demo mode, otherwise none and uploads are refused. */
  virusScanner: string | undefined;
  /** ClamAV's daemon, for VIRUS_SCANNER=clamd. */
  clamd: { host: string; port: number; timeoutMs: number };
  // --- registers (eng-reg) ---
  /** Business, property and vehicle register adapters, like populationRegister; a tenant may name its own (tenants file `registers`). */
  businessRegister: string | undefined;
  propertyRegister: string | undefined;
  vehicleRegister: string | undefined;
  /** The representation register (gode män, förvaltare, powers of attorney; ADR 0033), like the others. */
  representationRegister: string | undefined;
  /** How long any register may take to answer before the request gets the translated 503 page. */
  registerTimeoutMs: number;
  /** The payment provider for services with a fee ("demo", an adapter's name); unset: demo in demo mode, otherwise none. */
  paymentProvider: string | undefined;
  // --- end eng-reg ---
  /**
   * loc (ADR 0020): the map tiles the location field's map shows, when set: a URL template with
   * {z}, {x}, {y} (and optionally {s} for the provider's subdomains), the attribution the provider
   * demands, and the origin the Content-Security-Policy lets images come from. Unset: no map; the
   * field works by address and coordinates.
   */
  map: { tileUrl: string; attribution: string; imgOrigin: string } | undefined;
  /**
   * Which proxies' X-Forwarded-For/-Proto to believe (Fastify's trustProxy): false (default: the
   * socket's address is the client), true (any), a hop count, or addresses/CIDRs. Believing any
   * proxy on a directly exposed node would let a client pick its own IP and dodge rate limits.
   */
  trustProxy: boolean | number | string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Configuration error in ${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function trustProxyOf(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  // Addresses or CIDRs, comma-separated: IPv4, IPv6, optional /prefix.
  if (raw.split(',').every((p) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(p.trim()))) return raw;
  throw new ConfigError('TRUST_PROXY', `expected true, false, a hop count or comma-separated proxy addresses, got "${raw}"`);
}

function str(env: Env, name: string, fallback?: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

const HTTP = ['http:', 'https:'];

/** An absolute URL with one of the given protocols, without trailing slashes. */
function url(env: Env, name: string, protocols: string[], expected: string, fallback?: string): string | undefined {
  const raw = str(env, name, fallback);
  if (raw === undefined) return undefined;
  let ok = false;
  try {
    ok = protocols.includes(new URL(raw).protocol);
  } catch {
    // Not a URL at all: the same message as a URL of the wrong kind.
  }
  if (!ok) throw new ConfigError(name, `expected ${expected}, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

/** MAP_TILE_URL and MAP_ATTRIBUTION (both or neither). */
function mapOf(env: Env, production: boolean): Config['map'] {
  const tileUrl = str(env, 'MAP_TILE_URL');
  const attribution = str(env, 'MAP_ATTRIBUTION');
  if (tileUrl === undefined) {
    if (attribution !== undefined) throw new ConfigError('MAP_ATTRIBUTION', 'is set, but MAP_TILE_URL is not');
    return undefined;
  }
  for (const part of ['{z}', '{x}', '{y}']) {
    if (!tileUrl.includes(part)) throw new ConfigError('MAP_TILE_URL', `expected a tile URL template with {z}, {x} and {y}, got "${tileUrl}"`);
  }
  // {s} is a subdomain the map picks: the policy allows any subdomain of the host.
  let origin: URL;
  try {
    origin = new URL(tileUrl.replace('{s}', 'subdomain'));
  } catch {
    throw new ConfigError('MAP_TILE_URL', `expected an absolute http(s) URL template, got "${tileUrl}"`);
  }
  if (!HTTP.includes(origin.protocol)) throw new ConfigError('MAP_TILE_URL', `expected an absolute http(s) URL template, got "${tileUrl}"`);
  if (production && origin.protocol !== 'https:') throw new ConfigError('MAP_TILE_URL', `must be an https:// URL in production, got "${tileUrl}"`);
  if (!attribution) throw new ConfigError('MAP_ATTRIBUTION', 'is required with MAP_TILE_URL: tile providers demand their attribution on the map');
  const host = tileUrl.includes('{s}') ? origin.host.replace('subdomain', '*') : origin.host;
  return { tileUrl, attribution, imgOrigin: `${origin.protocol}//${host}` };
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  const v = raw.toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  // A typo ("ture", "on") must not silently mean false: SMTP_SECURE=false sends mail in clear text.
  throw new ConfigError(name, `expected true or false (or 1/0, yes/no), got "${raw}"`);
}

/**
 * The environment's name as loadConfig reads it, before anything else is validated: `serve --demo`
 * refuses production with this before it opens the database or reads any other setting.
 */
export function environmentOf(env: Env = process.env): string {
  return str(env, 'MEDBORG_ENV', env.NODE_ENV === 'production' ? 'production' : 'development')!;
}

const LOA = 'http://id.elegnamnden.se/loa/1.0';
const UNCERTIFIED = 'http://id.swedenconnect.se/loa/1.0';

/**
 * The assurance levels (acr) of the Swedish eID framework (Sweden Connect's registry for
 * identifiers, which the Swedish OIDC profile uses too), ranked: 1 to 4 for the Swedish levels,
 * eIDAS low = 2, substantial = 3, high = 4. `certified` is false for self-declared ("uncertified")
 * providers: they meet a demand for their own kind of level, never a demand for a certified one.
 */
export const ASSURANCE_LEVELS: ReadonlyMap<string, { rank: number; certified: boolean }> = new Map([
  [`${LOA}/loa1`, { rank: 1, certified: true }],
  [`${LOA}/loa2`, { rank: 2, certified: true }],
  [`${LOA}/eidas-low`, { rank: 2, certified: true }],
  [`${LOA}/eidas-nf-low`, { rank: 2, certified: true }],
  [`${UNCERTIFIED}/uncertified-eidas-low`, { rank: 2, certified: false }],
  [`${LOA}/loa3`, { rank: 3, certified: true }],
  [`${LOA}/eidas-sub`, { rank: 3, certified: true }],
  [`${LOA}/eidas-nf-sub`, { rank: 3, certified: true }],
  [`${UNCERTIFIED}/uncertified-loa3`, { rank: 3, certified: false }],
  [`${UNCERTIFIED}/uncertified-eidas-sub`, { rank: 3, certified: false }],
  [`${LOA}/loa4`, { rank: 4, certified: true }],
  [`${LOA}/eidas-high`, { rank: 4, certified: true }],
  [`${LOA}/eidas-nf-high`, { rank: 4, certified: true }],
  [`${UNCERTIFIED}/uncertified-eidas-high`, { rank: 4, certified: false }],
]);

/** The level demanded when OIDC_ACR is unset: what BankID and Freja+ give, and what the demo's test provider sends. */
export const DEFAULT_ACR = `${LOA}/loa3`;

/**
 * The e-ID broker. Issuer and client id only work together: with either alone the server would
 * start and quietly fall back to no e-ID sign-in (or the demo's test provider; relying-party.ts),
 * found out only when a resident cannot sign in. A secret alone is the same mistake.
 */
function oidcOf(env: Env, production: boolean): Config['oidc'] {
  const issuer = url(env, 'OIDC_ISSUER', HTTP, 'an absolute http(s) URL');
  // The ID token and the token call carry the identity number: never over plain HTTP in production.
  if (production && issuer && !issuer.startsWith('https://')) throw new ConfigError('OIDC_ISSUER', `must be an https:// URL in production, got "${issuer}"`);
  const clientId = str(env, 'OIDC_CLIENT_ID');
  const clientSecret = str(env, 'OIDC_CLIENT_SECRET');
  if (issuer && !clientId) throw new ConfigError('OIDC_CLIENT_ID', 'must be set when OIDC_ISSUER is set');
  if (!issuer && clientId) throw new ConfigError('OIDC_ISSUER', 'must be set when OIDC_CLIENT_ID is set');
  if (!issuer && clientSecret) throw new ConfigError('OIDC_ISSUER', 'must be set when OIDC_CLIENT_SECRET is set');
  return {
    issuer,
    clientId,
    clientSecret,
    pinClaim: str(env, 'OIDC_PIN_CLAIM', 'https://id.oidc.se/claim/personalIdentityNumber')!,
    acr: acrOf(env),
  };
}

/** OIDC_ACR: a level the relying party can rank, so a higher one can be accepted (no typo demands the impossible). */
function acrOf(env: Env): string {
  const acr = str(env, 'OIDC_ACR', DEFAULT_ACR)!;
  if (!ASSURANCE_LEVELS.has(acr)) {
    throw new ConfigError('OIDC_ACR', `unknown assurance level "${acr}"; expected one of ${[...ASSURANCE_LEVELS.keys()].join(', ')}`);
  }
  return acr;
}

/**
 * The job scheduler (src/jobs/scheduler.ts) holds one connection for a job's session-level
 * advisory lock while the job works on another, and its seven jobs may run at once: with fewer than
 * jobs + 1 connections they could each hold one and all wait for a second, and requests with them
 * (jobs/standard-jobs.test.ts holds this number to the list of jobs).
 */
export const MIN_DATABASE_POOL_SIZE = 8;

function poolSizeOf(env: Env): number {
  const size = int(env, 'DATABASE_POOL_SIZE', 16, 1, 500);
  if (size < MIN_DATABASE_POOL_SIZE) {
    throw new ConfigError(
      'DATABASE_POOL_SIZE',
      `must be at least ${MIN_DATABASE_POOL_SIZE}, got ${size}: each background job holds one connection for its lock while it works on another`,
    );
  }
  return size;
}

/**
 * Database timeouts (ADR 0007). Requests: a few seconds, so a stalled or restarting database answers
 * "try again later" rather than holding every request; the health check a second. Long work gets
 * its own statement limit (a migration that builds an index, `archive verify` over every case).
 */
function databaseTimeoutsOf(env: Env): { requests: DatabaseTimeouts; long: DatabaseTimeouts } {
  const r = REQUEST_TIMEOUTS;
  const connectMs = int(env, 'DATABASE_CONNECT_TIMEOUT_MS', r.connectMs, 100, 600_000);
  const healthMs = int(env, 'DATABASE_HEALTH_TIMEOUT_MS', r.healthMs, 100, 60_000);
  return {
    requests: {
      connectMs,
      statementMs: int(env, 'DATABASE_STATEMENT_TIMEOUT_MS', r.statementMs, 100, 3_600_000),
      idleInTransactionMs: int(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', r.idleInTransactionMs, 100, 3_600_000),
      healthMs,
    },
    long: {
      ...LONG_WORK_TIMEOUTS,
      connectMs: Math.max(connectMs, LONG_WORK_TIMEOUTS.connectMs),
      statementMs: int(env, 'DATABASE_LONG_STATEMENT_TIMEOUT_MS', LONG_WORK_TIMEOUTS.statementMs, 1_000, 86_400_000),
      healthMs,
    },
  };
}

/** Pino's levels, and "silent". */
const LOG_LEVELS = [...Object.keys(pinoLevels.values), 'silent'];

function logLevelOf(env: Env, envName: Environment): string {
  const level = str(env, 'LOG_LEVEL', envName === 'test' ? 'silent' : 'info')!;
  if (!LOG_LEVELS.includes(level)) throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  return level;
}

/** "no-reply@e.norrby.se" or "Norrby kommun <no-reply@e.norrby.se>": one address, a dotted domain, no spaces. */
const MAILBOX = /^[^\s@<>",;]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

/** One bare e-mail address with a dotted domain ("no-reply@e.norrby.se"). */
export const isMailbox = (value: string): boolean => MAILBOX.test(value);

function isFromAddress(value: string): boolean {
  const named = /^([^<>]*)<([^<>]+)>$/.exec(value.trim());
  return named ? MAILBOX.test(named[2]!) : MAILBOX.test(value.trim());
}

/**
 * SMTP settings. SMTP_FROM must be one valid address wherever it is set. In production the
 * development default (a .localhost address no mail server accepts) is never used: unset, the
 * sender is no-reply at BASE_URL's host, and a .localhost SMTP_FROM is refused. A user without a
 * password (or the reverse) is half a login that the server would only refuse at the first e-mail.
 */
function smtpOf(env: Env, production: boolean, baseUrl: string): Config['smtp'] {
  const port = int(env, 'SMTP_PORT', 587, 1, 65535);
  const user = str(env, 'SMTP_USER');
  const password = str(env, 'SMTP_PASSWORD');
  if (user && !password) throw new ConfigError('SMTP_PASSWORD', 'must be set when SMTP_USER is set');
  if (!user && password) throw new ConfigError('SMTP_USER', 'must be set when SMTP_PASSWORD is set');
  const given = str(env, 'SMTP_FROM');
  if (given !== undefined && !isFromAddress(given)) {
    throw new ConfigError('SMTP_FROM', `expected an e-mail address such as "Norrby kommun <no-reply@e.norrby.se>" or no-reply@e.norrby.se, got "${given}"`);
  }
  if (production && given !== undefined && /[@.]localhost>?$/i.test(given.trim())) {
    throw new ConfigError('SMTP_FROM', `must be an address of a real mail domain in production, got "${given}"`);
  }
  const fallback = production ? `Medborg <no-reply@${new URL(baseUrl).hostname}>` : 'Medborg <no-reply@medborg.localhost>';
  return { host: str(env, 'SMTP_HOST'), port, user, password, from: given ?? fallback, secure: bool(env, 'SMTP_SECURE', port === 465) };
}

/**
 * Staff sign-in through an identity provider is configured per municipality in the tenants file
 * (staffOidc), so that one provider login never signs someone in at every municipality of the
 * installation. The installation-wide STAFF_OIDC_* variables of earlier versions are refused
 * rather than ignored: an operator who still sets them would otherwise lose that sign-in silently.
 */
function refuseStaffOidcVariables(env: Env): void {
  const set = Object.keys(env).filter((k) => k.startsWith('STAFF_OIDC_') && str(env, k) !== undefined).sort();
  if (set.length === 0) return;
  throw new ConfigError(
    set[0]!,
    `staff sign-in through an identity provider is configured per municipality in the tenants file (MEDBORG_TENANTS, a staffOidc entry under each tenant), not with ${set.join(', ')}; move the settings there and unset the variables`,
  );
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const envName = environmentOf(env);
  if (!['development', 'test', 'production'].includes(envName)) {
    throw new ConfigError('MEDBORG_ENV', `expected development, test or production, got "${envName}"`);
  }
  const env2 = envName as Environment;
  const port = int(env, 'PORT', 3000, 0, 65535);
  const baseUrl = url(env, 'BASE_URL', HTTP, 'an absolute http(s) URL', `http://localhost:${port}`)!;
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// URL');
  const sessionSecret = str(env, 'SESSION_SECRET');
  if (env2 === 'production' && (!sessionSecret || sessionSecret.length < 32)) {
    throw new ConfigError('SESSION_SECRET', 'must be set to at least 32 characters in production');
  }
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters');
  }
  // Secure cookies and HSTS follow from an https BASE_URL (src/kernel/http): over http a session
  // cookie travels in clear text. Behind a proxy that terminates TLS the public URL is still https.
  if (env2 === 'production' && !baseUrl.startsWith('https://')) {
    throw new ConfigError(
      'BASE_URL',
      str(env, 'BASE_URL') === undefined
        ? 'must be set to the public https:// URL in production'
        : `must be an https:// URL in production (behind a proxy that terminates TLS too), got "${baseUrl}"`,
    );
  }
  const production = env2 === 'production';
  const oidc = oidcOf(env, production);
  refuseStaffOidcVariables(env);
  const dataDir = path.resolve(cwd, str(env, 'MEDBORG_DATA_DIR', '.medborg')!);
  const timeouts = databaseTimeoutsOf(env);
  return {
    env: env2,
    port,
    host: str(env, 'HOST', '127.0.0.1')!,
    baseUrl,
    databaseUrl,
    databasePoolSize: poolSizeOf(env),
    databaseTimeouts: timeouts.requests,
    databaseLongTimeouts: timeouts.long,
    dataDir,
    blobStore: str(env, 'BLOB_STORE', 'filesystem')!,
    blobDir: path.resolve(cwd, str(env, 'MEDBORG_BLOB_DIR', path.join(dataDir, 'blobs'))!),
    sessionSecret: sessionSecret ?? 'development-only-session-secret-not-for-production',
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 20, 2, 24 * 60),
    tenantsFile: path.resolve(cwd, str(env, 'MEDBORG_TENANTS', 'tenants.yaml')!),
    logLevel: logLevelOf(env, env2),
    oidc,
    smtp: smtpOf(env, production, baseUrl),
    draftRetentionDays: int(env, 'DRAFT_RETENTION_DAYS', 30, 1, 365),
    populationRegister: str(env, 'POPULATION_REGISTER'),
    virusScanner: str(env, 'VIRUS_SCANNER'),
    clamd: { host: str(env, 'CLAMD_HOST', '127.0.0.1')!, port: int(env, 'CLAMD_PORT', 3310, 1, 65535), timeoutMs: int(env, 'CLAMD_TIMEOUT_MS', 10_000, 100, 120_000) },
    // --- registers (eng-reg) ---
    businessRegister: str(env, 'BUSINESS_REGISTER'),
    propertyRegister: str(env, 'PROPERTY_REGISTER'),
    vehicleRegister: str(env, 'VEHICLE_REGISTER'),
    representationRegister: str(env, 'REPRESENTATION_REGISTER'),
    registerTimeoutMs: int(env, 'REGISTER_TIMEOUT_MS', 5000, 100, 60_000),
    paymentProvider: str(env, 'PAYMENT_PROVIDER'),
    // --- end eng-reg ---
    map: mapOf(env, production),
    trustProxy: trustProxyOf(str(env, 'TRUST_PROXY')),
  };
}
