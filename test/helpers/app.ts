/** Builds the application on a fresh test database, as tests need it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { Catalogue } from '../../src/catalogue/index.ts';
import { loadConfig, type Config } from '../../src/kernel/config.ts';
import { fixedClock, type Clock } from '../../src/kernel/clock.ts';
import { loadTenants, type TenantRegistry } from '../../src/kernel/tenants.ts';
import type { RegisterAdapters } from '../../src/integrations/registers/index.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface TestApp {
  app: FastifyInstance;
  tdb: TestDatabase;
  config: Config;
  tenants: TenantRegistry;
  clock: ReturnType<typeof fixedClock>;
  close(): Promise<void>;
}

export const NORRBY = 'norrby.localhost';
export const SODERA = 'sodera.localhost';

export async function createTestApp(
  opts: { env?: Record<string, string>; demo?: boolean; now?: string; clock?: Clock; logStream?: NodeJS.WritableStream; catalogue?: Catalogue; registers?: Partial<RegisterAdapters> } = {},
): Promise<TestApp> {
  // Each test app keeps its files in its own folder, so a test can tell what it stored itself.
  const blobDir = mkdtempSync(path.join(tmpdir(), 'medborg-test-blobs-'));
  const config = loadConfig({ MEDBORG_ENV: 'test', LOG_LEVEL: opts.logStream ? 'info' : 'silent', MEDBORG_BLOB_DIR: blobDir, ...opts.env }, repoRoot);
  const tenants = loadTenants(config.tenantsFile);
  const tdb = await createTestDatabase();
  const clock = fixedClock(opts.now ?? '2026-11-23T10:00:00Z');
  let app: FastifyInstance;
  try {
    app = await buildApp({ config, db: tdb.db, tenants, demo: opts.demo ?? true, clock, logStream: opts.logStream, registers: opts.registers, ...(opts.catalogue ? { catalogue: opts.catalogue } : {}) });
    noteRequestsInFlight(app);
    await app.ready();
  } catch (err) {
    // A catalogue that does not load fails the test; its database must not outlive it and keep the process waiting.
    await tdb.drop();
    rmSync(blobDir, { recursive: true, force: true });
    throw err;
  }
  return {
    app,
    tdb,
    config,
    tenants,
    clock,
    async close() {
      await app.close();
      await tdb.drop();
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
}

/** What the test process's watchdog (scripts/ts-loader/register.mjs) names when a file hangs: requests not yet answered. */
type InFlight = Map<string, { method: string; url: string; started: number }>;
const inFlight: InFlight = ((globalThis as { medborgTestRequestsInFlight?: InFlight }).medborgTestRequestsInFlight ??= new Map());
let appsBuilt = 0;
function noteRequestsInFlight(app: FastifyInstance): void {
  const appNo = ++appsBuilt;
  app.addHook('onRequest', async (req) => {
    inFlight.set(`${appNo}:${req.id}`, { method: req.method, url: req.url, started: Date.now() });
  });
  app.addHook('onResponse', async (req) => {
    inFlight.delete(`${appNo}:${req.id}`);
  });
  app.addHook('onRequestAbort', async (req) => {
    inFlight.delete(`${appNo}:${req.id}`);
  });
}

/** Cookie jar for inject(): keeps Set-Cookie values between requests like a browser. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  store(setCookie: string | string[] | undefined): void {
    for (const c of [setCookie ?? []].flat()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Pulls the CSRF token out of a rendered form. */
export function csrfFrom(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  if (!m) throw new Error('no CSRF token in page');
  return m[1]!;
}
