/**
 * Configuration from the environment, validated once at start-up.
 * A bad value stops the process with a message that names the variable, never a stack trace.
 */
import path from 'node:path';

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
    /** Required authentication context (assurance level); empty means none is demanded. */
    acr: string | undefined;
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

function url(env: Env, name: string, fallback?: string): string | undefined {
  const raw = str(env, name, fallback);
  if (raw === undefined) return undefined;
  try {
    const u = new URL(raw);
    if (!['http:', 'https:', 'postgres:', 'postgresql:'].includes(u.protocol)) throw new Error();
  } catch {
    throw new ConfigError(name, `expected an absolute URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const envName = str(env, 'MEDBORG_ENV', env.NODE_ENV === 'production' ? 'production' : 'development')!;
  if (!['development', 'test', 'production'].includes(envName)) {
    throw new ConfigError('MEDBORG_ENV', `expected development, test or production, got "${envName}"`);
  }
  const env2 = envName as Environment;
  const port = int(env, 'PORT', 3000, 0, 65535);
  const baseUrl = url(env, 'BASE_URL', `http://localhost:${port}`)!;
  const databaseUrl = url(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'expected a postgres:// or postgresql:// URL');
  }
  const sessionSecret = str(env, 'SESSION_SECRET');
  if (env2 === 'production' && (!sessionSecret || sessionSecret.length < 32)) {
    throw new ConfigError('SESSION_SECRET', 'must be set to at least 32 characters in production');
  }
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters');
  }
  const dataDir = path.resolve(cwd, str(env, 'MEDBORG_DATA_DIR', '.medborg')!);
  const smtpPort = int(env, 'SMTP_PORT', 587, 1, 65535);
  return {
    env: env2,
    port,
    host: str(env, 'HOST', '127.0.0.1')!,
    baseUrl,
    databaseUrl,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 16, 1, 500),
    dataDir,
    blobStore: str(env, 'BLOB_STORE', 'filesystem')!,
    blobDir: path.resolve(cwd, str(env, 'MEDBORG_BLOB_DIR', path.join(dataDir, 'blobs'))!),
    sessionSecret: sessionSecret ?? 'development-only-session-secret-not-for-production',
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 20, 2, 24 * 60),
    tenantsFile: path.resolve(cwd, str(env, 'MEDBORG_TENANTS', 'tenants.yaml')!),
    logLevel: str(env, 'LOG_LEVEL', env2 === 'test' ? 'silent' : 'info')!,
    oidc: {
      issuer: url(env, 'OIDC_ISSUER'),
      clientId: str(env, 'OIDC_CLIENT_ID'),
      clientSecret: str(env, 'OIDC_CLIENT_SECRET'),
      pinClaim: str(env, 'OIDC_PIN_CLAIM', 'https://id.oidc.se/claim/personalIdentityNumber')!,
      acr: str(env, 'OIDC_ACR'),
    },
    smtp: {
      host: str(env, 'SMTP_HOST'),
      port: smtpPort,
      user: str(env, 'SMTP_USER'),
      password: str(env, 'SMTP_PASSWORD'),
      from: str(env, 'SMTP_FROM', 'Medborg <no-reply@medborg.localhost>')!,
      secure: str(env, 'SMTP_SECURE', smtpPort === 465 ? 'true' : 'false') === 'true',
    },
    draftRetentionDays: int(env, 'DRAFT_RETENTION_DAYS', 30, 1, 365),
    populationRegister: str(env, 'POPULATION_REGISTER'),
    trustProxy: trustProxyOf(str(env, 'TRUST_PROXY')),
  };
}
